package io.mongoresume.job.merge;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import io.mongoresume.connectors.event.MigrationEvent;

import static io.mongoresume.job.merge.SnapshotCdcMergeFunction.SNAPSHOT_DONE_WATERMARK;
import static org.assertj.core.api.Assertions.assertThat;

/** The CDC side of the watermark contract: always exactly SNAPSHOT_DONE_WATERMARK, never idle. */
class MergeWatermarksTest {

    @Test
    void changeStreamAlwaysCarriesTheSnapshotDoneWatermark() {
        List<Long> emitted = new ArrayList<>();
        WatermarkOutput output =
                new WatermarkOutput() {
                    @Override
                    public void emitWatermark(Watermark watermark) {
                        emitted.add(watermark.getTimestamp());
                    }

                    @Override
                    public void markIdle() {
                        emitted.add(null);
                    }

                    @Override
                    public void markActive() {}
                };
        WatermarkGenerator<MigrationEvent> generator =
                MergeWatermarks.changeStream().createWatermarkGenerator(null);

        generator.onPeriodicEmit(output);
        generator.onEvent(MergeTestEvents.update(1, 1), 42L, output);
        generator.onPeriodicEmit(output);

        assertThat(emitted).containsOnly(SNAPSHOT_DONE_WATERMARK).hasSize(3);
    }
}
