package io.mongoresume.job.precheck;

import io.mongoresume.connectors.destination.ExistingDataPolicy;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report per policy; counting on a real target (and the clear policy) is in {@link
 * PrecheckITCase}.
 */
class TargetExistingDataCheckTest {

    @Test
    void emptyCollectionsChangeNothing() {
        CheckResult result =
                TargetExistingDataCheck.report(ExistingDataPolicy.DROP, "shop", counts(0, 0));
        assertThat(result.line())
                .isEqualTo(
                        "PASS target existing data: no documents in the selected collections of shop (2 exist,"
                                + " empty); target.existing-data=drop changes nothing");
        assertThat(result.data()).containsEntry("existingDocuments", 0L);
    }

    @Test
    void dropAndKeepSayWhatHappensToTheDocuments() {
        assertThat(
                        TargetExistingDataCheck.report(
                                        ExistingDataPolicy.DROP, "shop", counts(2, 3))
                                .line())
                .isEqualTo(
                        "WARN target existing data: target.existing-data=drop will drop 2 collection(s) of shop"
                                + " holding 5 document(s) and recreate them: {customers=2, orders=3}. Done once, at"
                                + " the job's first start, never on a resume");
        assertThat(
                        TargetExistingDataCheck.report(
                                        ExistingDataPolicy.KEEP, "shop", counts(2, 3))
                                .detail())
                .startsWith(
                        "target.existing-data=keep: 5 document(s) already in 2 collection(s) of shop stay;")
                .contains("(verify will report them as extra): {customers=2, orders=3}");
    }

    private static Map<String, Long> counts(long customers, long orders) {
        Map<String, Long> counts = new TreeMap<>();
        counts.put("customers", customers);
        counts.put("orders", orders);
        return counts;
    }
}
