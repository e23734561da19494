package io.mongoresume.connectors.sink.writer;

import org.apache.flink.api.common.operators.ProcessingTimeService;

import io.mongoresume.connectors.sink.writer.operation.WriteOp;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * Buffers writes per target namespace and decides when a batch goes: a namespace's when its buffer
 * holds {@code batchSize} writes, all namespaces' when the total does, a namespace's when its
 * oldest write has waited {@code batchMaxWaitMillis}, and all on {@link #flushAll} (each checkpoint
 * and end of input: at-least-once). The wait is a {@link ProcessingTimeService} timer, whose
 * callback runs on the task's mailbox thread and fails the task if it throws, so no error is ever
 * kept in the background.
 */
final class WriteBatcher {

    /** Where a due batch goes. */
    @FunctionalInterface
    interface BatchWriter {
        /**
         * @param oldestAddedAt processing time the batch's oldest write was buffered at
         */
        void write(TargetCollection target, List<WriteOp> batch, long oldestAddedAt)
                throws IOException, InterruptedException;
    }

    private final int batchSize;
    private final long batchMaxWaitMillis;
    private final ProcessingTimeService timeService;
    private final Collection<TargetCollection> targets;
    private final BatchWriter writer;
    private final Runnable onTimerFired;

    private int totalBuffered;
    @Nullable private ScheduledFuture<?> timer;
    private boolean closed;

    /**
     * @param targets a live view of the writer's targets, in a stable order
     * @param onTimerFired runs whenever the timer fires, before the batches it makes due are
     *     written
     */
    WriteBatcher(
            int batchSize,
            long batchMaxWaitMillis,
            ProcessingTimeService timeService,
            Collection<TargetCollection> targets,
            BatchWriter writer,
            Runnable onTimerFired) {
        this.batchSize = batchSize;
        this.batchMaxWaitMillis = batchMaxWaitMillis;
        this.timeService = timeService;
        this.targets = targets;
        this.writer = writer;
        this.onTimerFired = onTimerFired;
    }

    void add(TargetCollection target, WriteOp op) throws IOException, InterruptedException {
        totalBuffered += target.buffer().add(op, timeService.getCurrentProcessingTime());
        if (target.buffer().size() >= batchSize) {
            flush(target);
        } else if (totalBuffered >= batchSize) {
            flushAll();
        } else {
            scheduleTimer();
        }
    }

    void flush(TargetCollection target) throws IOException, InterruptedException {
        if (target.buffer().isEmpty()) {
            return;
        }
        long oldestAddedAt = target.buffer().firstAddedAt();
        List<WriteOp> batch = target.buffer().drain();
        totalBuffered -= batch.size();
        writer.write(target, batch, oldestAddedAt);
    }

    void flushAll() throws IOException, InterruptedException {
        for (TargetCollection target : targets) {
            flush(target);
        }
    }

    /** Writes buffered in all namespaces. */
    int buffered() {
        return totalBuffered;
    }

    void close() {
        closed = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void scheduleTimer() {
        if (batchMaxWaitMillis < 0 || timer != null || totalBuffered == 0 || closed) {
            return;
        }
        long oldest = Long.MAX_VALUE;
        for (TargetCollection target : targets) {
            if (!target.buffer().isEmpty()) {
                oldest = Math.min(oldest, target.buffer().firstAddedAt());
            }
        }
        timer = timeService.registerTimer(oldest + batchMaxWaitMillis, this::onTimer);
    }

    private void onTimer(long time) throws IOException, InterruptedException {
        timer = null;
        if (closed) {
            return;
        }
        onTimerFired.run();
        for (TargetCollection target : targets) {
            if (!target.buffer().isEmpty()
                    && target.buffer().firstAddedAt() + batchMaxWaitMillis <= time) {
                flush(target);
            }
        }
        scheduleTimer();
    }
}
