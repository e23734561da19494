package io.mongoresume.connectors.sink.writer;

import com.mongodb.MongoException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.ServerAddress;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.sink.MongoMigrationSink;
import io.mongoresume.connectors.sink.SinkTestOptions;
import io.mongoresume.connectors.testutils.LogCapture;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WriteAttemptsTest {

    private static WriteAttempts attempts(int maxRetries) {
        return new WriteAttempts(
                SinkTestOptions.of(
                        MongoMigrationSink.builder()
                                .connection(
                                        MongoConnectionOptions.of(
                                                "mongodb://u:s3cret@db.example:27017", 200))
                                .maxRetries(maxRetries)
                                .retryBackoffMillis(1)),
                "shop.orders");
    }

    /**
     * Attempts that fail with {@code failures} in turn, then succeed; counts how many were made.
     */
    private static final class Scripted implements WriteAttempts.Attempt {
        final Deque<MongoException> failures;
        int made;

        Scripted(MongoException... failures) {
            this.failures = new ArrayDeque<>(Arrays.asList(failures));
        }

        @Override
        public MongoException make() {
            made++;
            return failures.poll();
        }
    }

    private static MongoSocketReadException socketClosed() {
        return new MongoSocketReadException("closed", new ServerAddress("db.example"));
    }

    @Test
    void retriesTransientFailuresWithAWarnEachUntilAnAttemptIsDone() throws Exception {
        Scripted attempt = new Scripted(socketClosed(), socketClosed());
        try (LogCapture log = LogCapture.of(WriteAttempts.class)) {
            attempts(2).untilDone(() -> "write of 3 documents", attempt);
            assertThat(log.lines(Level.WARN))
                    .extracting(line -> line.message)
                    .containsExactly(
                            "MongoDB write of 3 documents to shop.orders on mongodb://u:****@db.example:27017"
                                    + " failed (attempt 1 of 3), retrying in 1 ms: MongoSocketReadException: closed",
                            "MongoDB write of 3 documents to shop.orders on mongodb://u:****@db.example:27017"
                                    + " failed (attempt 2 of 3), retrying in 2 ms: MongoSocketReadException: closed");
        }
        assertThat(attempt.made).isEqualTo(3);
    }

    @Test
    void failsWhenTheRetriesAreUsedUp() {
        Scripted attempt = new Scripted(socketClosed(), socketClosed(), socketClosed());
        assertThatThrownBy(() -> attempts(1).untilDone(() -> "drop collection", attempt))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(
                        "MongoDB drop collection to shop.orders on mongodb://u:****@db.example:27017")
                .hasMessageContaining("failed after 2 attempt(s) (retries exhausted)")
                .hasMessageContaining("MongoSocketReadException: closed")
                .hasMessageNotContaining("s3cret")
                .hasCauseInstanceOf(MongoSocketReadException.class);
        assertThat(attempt.made).isEqualTo(2);
    }

    @Test
    void failsAtOnceOnAFailureNoRetryCanChange() {
        Scripted attempt = new Scripted(new MongoException(2, "bad value"));
        assertThatThrownBy(() -> attempts(5).untilDone(() -> "create collection", attempt))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("failed after 1 attempt(s) (non-retryable error)")
                .hasMessageContaining("bad value");
        assertThat(attempt.made).isEqualTo(1);
    }

    @Test
    void aTimeoutSaysWhatTimedOutAndWhatToDo() {
        Scripted attempt = new Scripted(new MongoTimeoutException("no server"));
        assertThatThrownBy(() -> attempts(0).untilDone(() -> "write of 1 documents", attempt))
                .hasMessageContaining(
                        "the target could not be reached within 200 ms (target.timeout)")
                .hasMessageContaining("raise target.timeout (or target.max-retries)");
    }

    @Test
    void whatAnAttemptThrowsEndsTheRequestWithoutARetry() {
        int[] made = {0};
        assertThatThrownBy(
                        () ->
                                attempts(5)
                                        .untilDone(
                                                () -> "write of 1 documents",
                                                () -> {
                                                    made[0]++;
                                                    throw socketClosed();
                                                }))
                .isInstanceOf(MongoSocketReadException.class);
        assertThat(made[0]).isEqualTo(1);
    }
}
