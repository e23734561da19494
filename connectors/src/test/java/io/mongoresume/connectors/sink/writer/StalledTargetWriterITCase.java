package io.mongoresume.connectors.sink.writer;

import org.apache.flink.runtime.metrics.groups.InternalSinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.sink.MongoMigrationSink;
import io.mongoresume.connectors.sink.SinkTestOptions;
import io.mongoresume.connectors.testutils.LogCapture;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.connectors.testutils.ProxiedServer;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.mongoresume.connectors.sink.SinkTestEvents.doc;
import static io.mongoresume.connectors.sink.SinkTestEvents.insert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The writer against a target that stops answering mid-copy, as after {@code kill -STOP}: a proxy
 * in front of the target freezes every connection. Each attempt is bounded by the connection's
 * timeout, so a bulk fails within (timeout + back-off) × attempts, or succeeds when the target
 * thaws before the retries run out. The class timeout turns a hang (the behaviour without bounded
 * requests) into a failure.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StalledTargetWriterITCase {

    private static final long TIMEOUT_MS = 1_000;

    /** Scheduling, connection set-up and the first connection's handshake on a loaded machine. */
    private static final long SLACK_MS = 1_500;

    @RegisterExtension
    static final ProxiedServer SERVER = new ProxiedServer(MongoTestServer::target);

    private MongoMigrationWriter writer;
    private String db;

    @BeforeEach
    void freshDatabase() {
        db = MongoTestServer.freshDatabaseName("stall");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (writer != null) {
            writer.close();
        }
        SERVER.client().getDatabase(db).drop();
    }

    private MongoMigrationWriter writer(int maxRetries, long backoffMillis) {
        writer =
                new MongoMigrationWriter(
                        SinkTestOptions.of(
                                MongoMigrationSink.builder()
                                        .connection(
                                                MongoConnectionOptions.of(
                                                        SERVER.proxy().uri(), TIMEOUT_MS))
                                        .batchMaxWaitMillis(-1)
                                        .maxRetries(maxRetries)
                                        .retryBackoffMillis(backoffMillis)),
                        new TestProcessingTimeService(),
                        InternalSinkWriterMetricGroup.wrap(
                                UnregisteredMetricGroups.createUnregisteredOperatorMetricGroup()));
        return writer;
    }

    @Test
    void aBulkAgainstAFrozenTargetFailsWithinTheBoundAndSaysWhy() throws Exception {
        MongoMigrationWriter writer = writer(2, 100);
        writer.write(insert(db, "c", doc(1, "v", 1)), null);
        writer.flush(false); // a warm connection, as mid-copy

        writer.write(insert(db, "c", doc(2, "v", 2)), null);
        writer.write(insert(db, "c", doc(3, "v", 3)), null);
        writer.write(insert(db, "c", doc(4, "v", 4)), null);
        SERVER.proxy().freeze();
        long bound = 3 * TIMEOUT_MS + 100 + 200;
        try (LogCapture log = LogCapture.of(WriteAttempts.class)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> writer.flush(false))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(
                            "MongoDB write of 3 documents to "
                                    + db
                                    + ".c on "
                                    + SERVER.proxy().uri())
                    .hasMessageContaining("failed after 3 attempt(s) (retries exhausted)")
                    // By the last attempt the driver's monitor may have given the server up too:
                    // then it says "could not be reached", as true of a frozen target.
                    .hasMessageMatching(
                            "(?s).*the target (did not reply|could not be reached) within 1000 ms"
                                    + " \\(target\\.timeout\\).*")
                    .hasMessageContaining("MongoOperationTimeoutException")
                    .hasMessageContaining("raise target.timeout");
            long tookMs = millisSince(start);
            assertThat(tookMs)
                    .as("failed within (timeout + back-off) x attempts")
                    .isBetween(3 * TIMEOUT_MS, bound + SLACK_MS);

            List<LogCapture.Line> warnings = log.lines(Level.WARN);
            assertThat(warnings).as("a WARN per retry").hasSize(2);
            assertThat(warnings.get(0).message)
                    .contains("(attempt 1 of 3), retrying in 100 ms")
                    .contains("the target did not reply within 1000 ms (target.timeout)");
            assertThat((warnings.get(0).nanoTime - start) / 1_000_000)
                    .as("the first WARN comes one timeout after the stall")
                    .isLessThan(TIMEOUT_MS + SLACK_MS);
        }
        assertThat(SERVER.client().getDatabase(db).getCollection("c").countDocuments())
                .isLessThanOrEqualTo(4);
    }

    @Test
    void aBulkSucceedsWhenTheTargetThawsBeforeTheRetriesRunOut() throws Exception {
        MongoMigrationWriter writer = writer(3, 200);
        writer.write(insert(db, "c", doc(1, "v", 1)), null);
        writer.flush(false);

        writer.write(insert(db, "c", doc(2, "v", 2)), null);
        SERVER.proxy().freeze();
        // Thawed during the second attempt: after the first timed out (1 s) and its back-off (200
        // ms).
        CompletableFuture<Void> thaw =
                CompletableFuture.runAsync(
                        () -> {
                            sleep(1_500);
                            SERVER.proxy().thaw();
                        });
        try (LogCapture log = LogCapture.of(WriteAttempts.class)) {
            long start = System.nanoTime();
            writer.flush(false);
            long tookMs = millisSince(start);
            thaw.join();
            assertThat(log.lines(Level.WARN)).as("the failed attempts were logged").isNotEmpty();
            assertThat(tookMs).isLessThan(4 * TIMEOUT_MS + 200 + 400 + 600 + SLACK_MS);
        }
        assertThat(SERVER.client().getDatabase(db).getCollection("c").countDocuments())
                .isEqualTo(2);
        assertThat(writer.metrics(db, "c").documentsWritten()).isEqualTo(2);
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
