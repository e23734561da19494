package io.mongoresume.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The high-water mark of the live heap of this JVM (where the MiniCluster's TaskManager runs):
 * every {@code intervalMillis} a full GC, then heap used. Forcing the GC costs a pause each time,
 * so this runs only in the memory measurement; in return the figure is the live set, not however
 * much garbage the collector happened to leave (which grows with the amount allocated, i.e. with N,
 * even when the live set does not).
 */
final class HeapWatcher implements AutoCloseable {

    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;
    private volatile boolean stop;

    HeapWatcher(long intervalMillis) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        thread =
                new Thread(
                        () -> {
                            while (!stop) {
                                memory.gc();
                                peak.accumulateAndGet(
                                        memory.getHeapMemoryUsage().getUsed(), Math::max);
                                try {
                                    Thread.sleep(intervalMillis);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "heap-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Peak live heap in MB since construction. */
    double peakMb() {
        return peak.get() / (1024.0 * 1024.0);
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.interrupt();
        thread.join(10_000);
    }
}
