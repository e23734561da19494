package io.mongoresume.job.topology;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.util.ExceptionUtils;

import com.mongodb.client.MongoCollection;
import io.mongoresume.connectors.testutils.DelayingProxy;
import io.mongoresume.connectors.testutils.LogCapture;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.testutils.CollectionDiff;
import io.mongoresume.job.testutils.Migration;
import io.mongoresume.job.testutils.MigrationCluster;
import io.mongoresume.job.testutils.TestData;
import io.mongoresume.job.testutils.TestJobs;
import org.apache.logging.log4j.Level;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stop-with-savepoint requested while the target is stalled mid-copy (a proxy in front of it
 * freezes every connection, as {@code kill -STOP} of the server would) ends within (timeout +
 * back-off) × attempts: it completes when the target thaws before the sink's retries run out, and
 * otherwise fails, and the job with it, with a message naming the target, the namespace and the
 * timeout. Either way the target equals the source once the job has been resumed and has finished.
 * Without bounded requests both stops would wait for the target for good (the class timeout turns
 * that into a failure).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StalledTargetITCase {

    private static final int DOCUMENTS = 20_000;
    private static final long TIMEOUT_MS = 1_000;
    private static final int MAX_RETRIES = 2;
    private static final long BACKOFF_MS = 200;

    /** (timeout + back-off) × attempts: 3 attempts of 1 s, back-offs of 200 and 400 ms. */
    private static final long BOUND_MS =
            (MAX_RETRIES + 1) * TIMEOUT_MS + BACKOFF_MS + 2 * BACKOFF_MS;

    /** A savepoint of a small job, a failover, scheduling on a loaded 2-core machine. */
    private static final long SLACK_MS = 6_000;

    @RegisterExtension static final MigrationCluster CLUSTER = MigrationCluster.of(1, 3);
    private static String sourceDb;

    private Migration migration;
    private DelayingProxy proxy;

    /** The sink's retry WARNs. */
    private LogCapture retries;

    private long frozenAt;
    private MongoCollection<Document> target;

    @BeforeAll
    static void seed() {
        sourceDb = MongoTestServer.freshDatabaseName("stalled");
        String padding = "p".repeat(400);
        TestData.insertInBatches(
                CLUSTER.servers().sourceClient().getDatabase(sourceDb).getCollection("items"),
                DOCUMENTS,
                i -> new Document("_id", i).append("v", i).append("pad", padding));
    }

    @BeforeEach
    void proxyInFrontOfTheTarget() throws Exception {
        proxy = DelayingProxy.inFrontOf(CLUSTER.servers().targetUri());
        // Slow enough that the copy is still running when the test freezes the target.
        proxy.setReplyDelayMillis(30);
        migration =
                CLUSTER.migration(sourceDb, MongoTestServer.freshDatabaseName("stalled_target"));
        target = migration.target().getCollection("items");
        retries = LogCapture.of("io.mongoresume.connectors.sink.writer.WriteAttempts");
    }

    @AfterEach
    void closeProxy() throws Exception {
        retries.close();
        proxy.close();
    }

    /**
     * Small bulks through the proxy, so the copy is under way for a while; the resume needs no such
     * help.
     */
    private MigrationConfig config(String targetUri, int batchSize) {
        return migration
                .options()
                .set("target.uri", targetUri)
                .set("target.writers", "1")
                .set("target.batch-size", String.valueOf(batchSize))
                .set("target.timeout", TIMEOUT_MS + " ms")
                .set("target.max-retries", String.valueOf(MAX_RETRIES))
                .set("target.retry-backoff-ms", String.valueOf(BACKOFF_MS))
                .checkpointInterval("300 ms")
                .set("flink.restart-strategy.type", "none")
                .config();
    }

    /**
     * Starts the copy through the proxy and freezes the target once part of it (and a checkpoint)
     * is done.
     */
    private JobID startAndFreezeMidCopy(ClusterClient<?> client) throws Exception {
        JobID job = TestJobs.submit(client, config(proxy.uri(), 200), null);
        TestJobs.await(
                "a checkpoint and part of the copy",
                Duration.ofSeconds(30),
                () ->
                        TestJobs.latestCheckpoint(migration.stateDir(), job) != null
                                && target.estimatedDocumentCount() >= 1_000);
        proxy.freeze();
        frozenAt = System.nanoTime();
        assertThat(target.estimatedDocumentCount()).as("frozen mid-copy").isLessThan(DOCUMENTS);
        return job;
    }

    /** The sink's retry WARNs since the freeze. */
    private List<LogCapture.Line> retriesSinceTheFreeze() {
        List<LogCapture.Line> since = new ArrayList<>();
        for (LogCapture.Line line : retries.lines(Level.WARN)) {
            if (line.nanoTime >= frozenAt) {
                since.add(line);
            }
        }
        return since;
    }

    /** The sink noticed the stall within one timeout: its first retry WARN says what timed out. */
    private void assertTheFirstRetryWasLoggedWithinTheTimeout() {
        List<LogCapture.Line> warnings = retriesSinceTheFreeze();
        assertThat(warnings).as("retry WARNs").isNotEmpty();
        assertThat(warnings.get(0).message)
                .contains("(attempt 1 of 3)")
                .contains("the target did not reply within 1000 ms (target.timeout)");
        assertThat((warnings.get(0).nanoTime - frozenAt) / 1_000_000)
                .isLessThan(TIMEOUT_MS + 1_500);
    }

    /** A stop-with-savepoint requested at {@code requestedAt} (nano time), still under way. */
    private record StopRequest(JobID job, long requestedAt, CompletableFuture<String> savepoint) {}

    /** Starts the copy, freezes the target mid-copy and asks for a stop with a savepoint. */
    private StopRequest freezeMidCopyAndStop(ClusterClient<?> client) throws Exception {
        JobID job = startAndFreezeMidCopy(client);
        long requestedAt = System.nanoTime();
        CompletableFuture<String> savepoint =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                Path savepoints = migration.stateDir().resolve("savepoints");
                                return TestJobs.stopWithSavepoint(client, job, savepoints);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        return new StopRequest(job, requestedAt, savepoint);
    }

    @Test
    void aStopCompletesWhenTheTargetThawsBeforeTheRetriesRunOut(
            @InjectClusterClient ClusterClient<?> client) throws Exception {
        StopRequest stop = freezeMidCopyAndStop(client);
        // Thawed during the sink's second attempt: the first timed out after 1 s, its back-off is
        // 200 ms.
        Thread.sleep(1_500);
        assertThat(stop.savepoint()).as("the stop waits while the target is frozen").isNotDone();
        assertTheFirstRetryWasLoggedWithinTheTimeout();
        proxy.thaw();

        String savepoint = stop.savepoint().get(BOUND_MS + SLACK_MS, TimeUnit.MILLISECONDS);
        long tookMs = millisSince(stop.requestedAt());
        System.out.printf(
                "Stop with a target frozen for 1.5 s completed after %d ms (bound %d ms)%n",
                tookMs, BOUND_MS);
        assertThat(tookMs).as("stopped within the bound").isLessThan(BOUND_MS + SLACK_MS);
        assertThat(target.estimatedDocumentCount()).as("stopped mid-copy").isLessThan(DOCUMENTS);

        resumeToTheEnd(client, savepoint);
    }

    @Test
    void aStopFailsWithTheTargetAndTheTimeoutInTheMessageWhenTheTargetStaysFrozen(
            @InjectClusterClient ClusterClient<?> client) throws Exception {
        StopRequest stop = freezeMidCopyAndStop(client);
        JobID job = stop.job();

        Throwable stopFailure = null;
        try {
            stop.savepoint().get(BOUND_MS + SLACK_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            stopFailure = e.getCause();
        }
        long tookMs = millisSince(stop.requestedAt());
        assertThat(stopFailure).as("the stop failed").isNotNull();
        System.out.printf(
                "Stop with a target frozen for good failed after %d ms (bound %d ms): %s%n",
                tookMs, BOUND_MS, ExceptionUtils.stringifyException(stopFailure));
        assertThat(tookMs).as("failed within the bound").isLessThan(BOUND_MS + SLACK_MS);
        assertTheFirstRetryWasLoggedWithinTheTimeout();
        assertThat(retriesSinceTheFreeze()).as("a WARN per retry").hasSize(MAX_RETRIES);
        assertThat(TestJobs.awaitStatus(client, job, Duration.ofSeconds(10)))
                .isEqualTo(JobStatus.FAILED);
        String why = ExceptionUtils.stringifyException(TestJobs.failureCause(client, job));
        assertThat(why)
                .contains("MongoDB write of ")
                .contains(" to " + migration.targetDb() + ".items on " + proxy.uri())
                .contains("failed after 3 attempt(s) (retries exhausted)")
                .contains("the target did not reply within 1000 ms (target.timeout)")
                .contains("raise target.timeout");

        proxy.thaw();
        String checkpoint = TestJobs.latestCheckpoint(migration.stateDir(), job);
        assertThat(checkpoint).as("a checkpoint to resume from").isNotNull();
        resumeToTheEnd(client, checkpoint);
    }

    /** Resumes directly against the target and checks that it ends equal to the source. */
    private void resumeToTheEnd(ClusterClient<?> client, String savepoint) throws Exception {
        JobID resumed =
                TestJobs.submit(client, config(CLUSTER.servers().targetUri(), 1000), savepoint);
        assertThat(TestJobs.awaitTermination(client, resumed, Duration.ofSeconds(40)))
                .isEqualTo(JobStatus.FINISHED);
        CollectionDiff diff = migration.diff("items");
        assertThat(diff.isEqual()).as(diff.toString()).isTrue();
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
