package io.mongoresume.job.merge;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

import io.mongoresume.connectors.event.MigrationEvent;

import static io.mongoresume.job.merge.SnapshotCdcMergeFunction.SNAPSHOT_DONE_WATERMARK;

/**
 * The watermark strategies the two merge inputs need, so that the merge's combined watermark means "the snapshot
 * has finished" (see {@link SnapshotCdcMergeFunction}). Use {@link #snapshot()} on the snapshot source and
 * {@link #changeStream()} on the change-stream source; add no idleness to either.
 */
public final class MergeWatermarks {

    private MergeWatermarks() {}

    /**
     * No watermarks while the snapshot runs; Flink sends {@code MAX_WATERMARK} when the bounded source
     * finishes, and no idleness can let the other input's watermark through early.
     */
    public static WatermarkStrategy<MigrationEvent> snapshot() {
        return WatermarkStrategy.noWatermarks();
    }

    /**
     * A constant {@link SnapshotCdcMergeFunction#SNAPSHOT_DONE_WATERMARK}, so that the CDC input never holds
     * the combined watermark back. It is emitted periodically and on every event, so it also gets out when
     * periodic watermarks are switched off ({@code pipeline.auto-watermark-interval: 0}) once an event arrives.
     */
    public static WatermarkStrategy<MigrationEvent> changeStream() {
        return WatermarkStrategy.forGenerator(context -> new SnapshotDoneWatermarkGenerator());
    }

    /** Emits {@link SnapshotCdcMergeFunction#SNAPSHOT_DONE_WATERMARK}; Flink drops the repeats. */
    static final class SnapshotDoneWatermarkGenerator implements WatermarkGenerator<MigrationEvent> {

        private static final Watermark SNAPSHOT_DONE = new Watermark(SNAPSHOT_DONE_WATERMARK);

        @Override
        public void onEvent(MigrationEvent event, long eventTimestamp, WatermarkOutput output) {
            output.emitWatermark(SNAPSHOT_DONE);
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(SNAPSHOT_DONE);
        }
    }
}
