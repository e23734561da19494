package io.mongoresume.connectors.testutils;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link WatermarkOutput} that records what a watermark generator emits, for tests of the
 * generator.
 */
public final class WatermarkRecorder implements WatermarkOutput {

    private final List<Long> emitted = new ArrayList<>();

    @Override
    public void emitWatermark(Watermark watermark) {
        emitted.add(watermark.getTimestamp());
    }

    /** Recorded as a {@code null} among the timestamps. */
    @Override
    public void markIdle() {
        emitted.add(null);
    }

    @Override
    public void markActive() {}

    /** The emitted timestamps in order, {@code null} where the generator marked its output idle. */
    public List<Long> emitted() {
        return emitted;
    }
}
