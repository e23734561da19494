package io.mongoresume.connectors.common.metrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The "node falls behind" alert: fires when a node's average processing time stays above a
 * threshold for a sustained period (default 5 s for 1 minute), logs a WARN once and raises the
 * {@code alert} gauge to 1; clears (INFO, gauge 0) when the average drops back. The average is over
 * the samples of the last {@link #AVERAGE_WINDOW_MILLIS}; with no samples (idle) it is 0. Not
 * thread-safe: one task thread records, reporters only read {@link #alert()}.
 */
public final class ProcessingTimeAlert {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessingTimeAlert.class);

    /** The metric name of the 0/1 gauge. */
    public static final String ALERT_GAUGE = "alert";

    /** The metric name of the current average, in milliseconds. */
    public static final String AVERAGE_GAUGE = "avgProcessingTimeMs";

    static final long AVERAGE_WINDOW_MILLIS = 10_000;

    private final String node;
    private final long thresholdMillis;
    private final long sustainMillis;
    private final LongSupplier clock;
    private final Deque<long[]> samples = new ArrayDeque<>();
    private long sum;
    private long aboveSince = -1;
    private volatile boolean alerting;
    private volatile long average;

    /**
     * @param node what is measured, for the log line (e.g. "MongoDB sink shop.orders subtask 2")
     * @param thresholdMillis average processing time above which the node counts as slow
     * @param sustainMillis how long it must stay slow before the alert fires
     * @param clock milliseconds, injectable for tests
     */
    public ProcessingTimeAlert(
            String node, long thresholdMillis, long sustainMillis, LongSupplier clock) {
        checkArgument(thresholdMillis > 0, "threshold must be positive");
        checkArgument(sustainMillis >= 0, "sustain period must not be negative");
        this.node = checkNotNull(node);
        this.thresholdMillis = thresholdMillis;
        this.sustainMillis = sustainMillis;
        this.clock = checkNotNull(clock);
    }

    /** One processed unit took {@code millis}. */
    public void record(long millis) {
        long now = clock.getAsLong();
        samples.addLast(new long[] {now, millis});
        sum += millis;
        evaluate(now);
    }

    /** Re-evaluates without a new sample (e.g. on a timer), so an idle node clears. */
    public void evaluate() {
        evaluate(clock.getAsLong());
    }

    private void evaluate(long now) {
        while (!samples.isEmpty() && samples.peekFirst()[0] < now - AVERAGE_WINDOW_MILLIS) {
            sum -= samples.removeFirst()[1];
        }
        average = samples.isEmpty() ? 0 : sum / samples.size();
        if (average > thresholdMillis) {
            if (aboveSince < 0) {
                aboveSince = now;
            }
            if (!alerting && now - aboveSince >= sustainMillis) {
                alerting = true;
                LOG.warn(
                        "ALERT: {} average processing time {} ms has been above {} ms for {} s",
                        node,
                        average,
                        thresholdMillis,
                        (now - aboveSince) / 1000);
            }
        } else {
            aboveSince = -1;
            if (alerting) {
                alerting = false;
                LOG.info(
                        "Alert cleared: {} average processing time is back to {} ms (threshold {} ms)",
                        node,
                        average,
                        thresholdMillis);
            }
        }
    }

    /** 1 while the alert is raised, else 0. */
    public int alert() {
        return alerting ? 1 : 0;
    }

    public long averageMillis() {
        return average;
    }
}
