package io.mongoresume.job.merge;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;

import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.testutils.WatermarkRecorder;
import org.junit.jupiter.api.Test;

import static io.mongoresume.job.merge.SnapshotCdcMergeFunction.SNAPSHOT_DONE_WATERMARK;
import static org.assertj.core.api.Assertions.assertThat;

/** The CDC side of the watermark contract: always exactly SNAPSHOT_DONE_WATERMARK, never idle. */
class MergeWatermarksTest {

    @Test
    void changeStreamAlwaysCarriesTheSnapshotDoneWatermark() {
        WatermarkRecorder output = new WatermarkRecorder();
        WatermarkGenerator<MigrationEvent> generator =
                MergeWatermarks.changeStream().createWatermarkGenerator(null);

        generator.onPeriodicEmit(output);
        generator.onEvent(MergeTestEvents.update(1, 1), 42L, output);
        generator.onPeriodicEmit(output);

        assertThat(output.emitted()).containsOnly(SNAPSHOT_DONE_WATERMARK).hasSize(3);
    }
}
