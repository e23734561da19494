package io.mongoresume.connectors.snapshot.enumerator;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RestoreSettlementTest {

    @Test
    void theSplitsNoReaderHoldsAreFinishedOnceEveryReaderReported() {
        Map<String, String> assigned = new LinkedHashMap<>();
        assigned.put("db.a_0", "a");
        assigned.put("db.a_1", "a");
        assigned.put("db.b_0", "b");
        RestoreSettlement settlement = new RestoreSettlement(assigned, 2);
        settlement.forget("db.b_0"); // reported finished after the restore

        assertThat(settlement.held(1, List.of("db.a_1"))).as("reader 0 has not reported").isEmpty();
        assertThat(settlement.held(0, List.of())).containsExactly(Map.entry("db.a_0", "a"));
        assertThat(settlement.held(0, List.of())).as("a later report settles nothing").isEmpty();
    }

    @Test
    void nothingToSettleWithoutSplitsAssignedAtTheCheckpoint() {
        RestoreSettlement settlement = new RestoreSettlement(Map.of(), 2);
        assertThat(settlement.held(0, List.of())).isEmpty();
        assertThat(settlement.held(1, List.of("db.a_0"))).isEmpty();
    }
}
