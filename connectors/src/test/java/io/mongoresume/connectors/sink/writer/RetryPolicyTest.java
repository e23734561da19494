package io.mongoresume.connectors.sink.writer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {

    @Test
    void theNthRetryWaitsNTimesTheBackoff() {
        RetryPolicy policy = new RetryPolicy(3, 500);
        assertThat(policy.backoffMillis(1)).isEqualTo(500);
        assertThat(policy.backoffMillis(2)).isEqualTo(1_000);
        assertThat(policy.backoffMillis(3)).isEqualTo(1_500);
    }

    @Test
    void allowsMaxRetriesAfterTheFirstAttempt() {
        RetryPolicy policy = new RetryPolicy(2, 10);
        assertThat(policy.allows(1)).isTrue();
        assertThat(policy.allows(2)).isTrue();
        assertThat(policy.allows(3)).isFalse();
        assertThat(policy.maxAttempts()).isEqualTo(3);

        RetryPolicy never = new RetryPolicy(0, 10);
        assertThat(never.allows(1)).isFalse();
        assertThat(never.maxAttempts()).isEqualTo(1);
    }

    @Test
    void rejectsNegativeSettings() {
        assertThatThrownBy(() -> new RetryPolicy(-1, 0)).hasMessageContaining("maxRetries");
        assertThatThrownBy(() -> new RetryPolicy(0, -1)).hasMessageContaining("backoffMillis");
    }
}
