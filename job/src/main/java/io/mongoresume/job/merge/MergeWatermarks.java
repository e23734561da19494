package io.mongoresume.job.merge;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;

import io.mongoresume.connectors.cdc.ChangeStreamSource;
import io.mongoresume.connectors.cdc.MaxWatermarkGenerator;
import io.mongoresume.connectors.event.MigrationEvent;

/**
 * The watermark strategies the two merge inputs need, so that the merge's combined watermark means
 * "the snapshot has finished" (see {@link SnapshotCdcMergeFunction}). Use {@link #snapshot()} on
 * the snapshot source and {@link #changeStream()} on the change-stream source; add no idleness to
 * either.
 */
public final class MergeWatermarks {

    private MergeWatermarks() {}

    /**
     * No watermarks while the snapshot runs; Flink sends {@code MAX_WATERMARK} when the bounded
     * source finishes, and no idleness can let the other input's watermark through early.
     */
    public static WatermarkStrategy<MigrationEvent> snapshot() {
        return WatermarkStrategy.noWatermarks();
    }

    /**
     * A constant {@link SnapshotCdcMergeFunction#SNAPSHOT_DONE_WATERMARK} ({@link
     * MaxWatermarkGenerator}), so that the CDC input never holds the combined watermark back.
     */
    public static WatermarkStrategy<MigrationEvent> changeStream() {
        return ChangeStreamSource.watermarkStrategy();
    }
}
