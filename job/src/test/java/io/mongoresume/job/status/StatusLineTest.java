package io.mongoresume.job.status;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StatusLineTest {

    private static final String FULL = "[########################] 100%";

    @Test
    void progressBarSplitsDocumentsLagAndWrites() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("splitsTotal", 4.0);
        m.put("splitsFinished", 1.0);
        m.put("snapshotDone", 0.0);
        m.put("documentsEmitted", 2500.0);
        m.put("estimatedDocuments", 10000.0);
        m.put("lagMs", 120.0);
        m.put("documentsWritten", 2400.0);
        assertThat(StatusCommand.line(m, false))
                .isEqualTo("[######------------------]  25%  1/4 splits  2500 docs read of ~10000  CDC lag 120 ms"
                        + "  2400 written");
    }

    @Test
    void anEmptyCollectionWhosePartitioningIsDoneIsDone() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("splitsTotal", 0.0);
        m.put("splitsFinished", 0.0);
        m.put("snapshotDone", 1.0);
        m.put("estimatedDocuments", 0.0);
        m.put("documentsEmitted", 0.0);
        assertThat(StatusCommand.line(m, false)).isEqualTo(FULL + "  0/0 splits");
    }

    @Test
    void aFinishedSnapshotSourceMakesEveryCollectionDoneWhateverItsGaugesSay() {
        Map<String, Double> restored = new LinkedHashMap<>();
        restored.put("splitsTotal", 20.0);
        restored.put("splitsFinished", 0.0);
        restored.put("snapshotDone", 0.0);
        restored.put("documentsEmitted", 0.0);
        restored.put("lagMs", 3.0);
        assertThat(StatusCommand.line(restored, true)).isEqualTo(FULL + "  CDC lag 3 ms");

        Map<String, Double> noGauges = new LinkedHashMap<>();
        noGauges.put("documentsWritten", 7.0);
        assertThat(StatusCommand.line(noGauges, true)).isEqualTo(FULL + "  7 written");

        Map<String, Double> copiedThisRun = new LinkedHashMap<>();
        copiedThisRun.put("splitsTotal", 2.0);
        copiedThisRun.put("splitsFinished", 2.0);
        copiedThisRun.put("documentsEmitted", 500.0);
        copiedThisRun.put("estimatedDocuments", 500.0);
        assertThat(StatusCommand.line(copiedThisRun, true)).isEqualTo(FULL + "  2/2 splits  500 docs read of ~500");
    }
}
