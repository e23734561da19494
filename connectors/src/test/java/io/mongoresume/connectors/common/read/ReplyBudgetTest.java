package io.mongoresume.connectors.common.read;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplyBudgetTest {

    @Test
    void batchSizesAimAtTheBudgetWithinOneAndTheMaximum() {
        assertThat(ReplyBudget.batchSize(1_000, 100)).isEqualTo(100);
        assertThat(ReplyBudget.batchSize(100_000, 100)).isEqualTo(83);
        assertThat(ReplyBudget.batchSize(15_000_000, 100)).isEqualTo(1);
        assertThat(ReplyBudget.batchSize(-1, 100)).as("unknown average").isEqualTo(100);
        assertThat(ReplyBudget.documentsWithin(24 << 20, 1_100, 1_000_000)).isEqualTo(22_878);
    }
}
