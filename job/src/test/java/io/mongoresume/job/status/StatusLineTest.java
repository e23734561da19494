package io.mongoresume.job.status;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StatusLineTest {

    @Test
    void progressBarSplitsDocumentsLagAndWrites() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("splitsTotal", 4.0);
        m.put("splitsFinished", 1.0);
        m.put("documentsEmitted", 2500.0);
        m.put("estimatedDocuments", 10000.0);
        m.put("lagMs", 120.0);
        m.put("documentsWritten", 2400.0);
        assertThat(StatusCommand.line(m))
                .isEqualTo("[######------------------]  25%  1/4 splits  2500 docs read of ~10000  CDC lag 120 ms"
                        + "  2400 written");
    }
}
