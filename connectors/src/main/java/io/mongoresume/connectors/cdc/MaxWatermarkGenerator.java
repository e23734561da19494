package io.mongoresume.connectors.cdc;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

import io.mongoresume.connectors.event.MigrationEvent;

/**
 * Emits {@link #WATERMARK} on every event and on every periodic emit ({@code
 * pipeline.auto-watermark-interval}; Flink drops the repeats), so a change-stream input never holds
 * back the event time of an operator that also reads another input, and the watermark gets out also
 * when periodic emits are off or no change happens. Not {@code Long.MAX_VALUE}: that means "end of
 * input" and would fire every event-time timer. Not {@code withIdleness}: idleness would toggle the
 * input between idle and active with the traffic, and an input turning active again may briefly
 * hold the combined watermark back; a constant maximum needs no guessing.
 */
@PublicEvolving
public final class MaxWatermarkGenerator implements WatermarkGenerator<MigrationEvent> {

    /** The one watermark this generator emits. */
    public static final long WATERMARK = Long.MAX_VALUE - 1;

    private static final Watermark MAX = new Watermark(WATERMARK);

    @Override
    public void onEvent(MigrationEvent event, long eventTimestamp, WatermarkOutput output) {
        output.emitWatermark(MAX);
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        output.emitWatermark(MAX);
    }
}
