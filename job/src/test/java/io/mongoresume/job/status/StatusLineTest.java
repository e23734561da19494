package io.mongoresume.job.status;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StatusLineTest {

    private static final String FULL = "[########################] 100%";

    @Test
    void progressBarSplitsDocumentsLagAndWrites() {
        Map<String, Double> m =
                gauges(
                        "splitsTotal=4 splitsFinished=1 snapshotDone=0 documentsEmitted=2500"
                                + " estimatedDocuments=10000 lagMs=120 documentsWritten=2400");
        assertThat(StatusCommand.line(m, false))
                .isEqualTo(
                        "[######------------------]  25%  1/4 splits  2500 docs read of ~10000  CDC lag 120 ms"
                                + "  2400 written");
    }

    @Test
    void anEmptyCollectionWhosePartitioningIsDoneIsDone() {
        Map<String, Double> m =
                gauges(
                        "splitsTotal=0 splitsFinished=0 snapshotDone=1 estimatedDocuments=0 documentsEmitted=0");
        assertThat(StatusCommand.line(m, false)).isEqualTo(FULL + "  0/0 splits");
    }

    @Test
    void aFinishedSnapshotSourceMakesEveryCollectionDoneWhateverItsGaugesSay() {
        Map<String, Double> noGauges = gauges("documentsWritten=7");
        assertThat(StatusCommand.line(noGauges, true)).isEqualTo(FULL + "  7 written");

        Map<String, Double> restored =
                gauges("splitsTotal=20 splitsFinished=0 snapshotDone=0 documentsEmitted=0 lagMs=3");
        assertThat(StatusCommand.line(restored, true)).isEqualTo(FULL + "  CDC lag 3 ms");

        Map<String, Double> copiedThisRun =
                gauges(
                        "splitsTotal=2 splitsFinished=2 documentsEmitted=500 estimatedDocuments=500");
        assertThat(StatusCommand.line(copiedThisRun, true))
                .isEqualTo(FULL + "  2/2 splits  500 docs read of ~500");
    }

    /** Gauges by name, from "name=value" pairs separated by spaces. */
    private static Map<String, Double> gauges(String namesAndValues) {
        Map<String, Double> gauges = new LinkedHashMap<>();
        for (String pair : namesAndValues.split(" ")) {
            String[] nameAndValue = pair.split("=");
            gauges.put(nameAndValue[0], Double.parseDouble(nameAndValue[1]));
        }
        return gauges;
    }
}
