package io.mongoresume.job.topology;

import com.mongodb.client.MongoDatabase;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.testutils.CollectionDiff;
import io.mongoresume.job.testutils.ServerPair;
import io.mongoresume.job.testutils.TestData;
import io.mongoresume.job.testutils.TestJobs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A resume whose job file changed what decides which documents go where is refused before anything is
 * written, naming the key and both values; the job fails at once instead of restarting. Seen on main at
 * 7eef506: a collection added to source.collections was never read, and a changed source.database was named
 * in the header while data kept coming from the old one, both without a word.
 */
class ChangedJobFileITCase {

    private static final List<String> COLLECTIONS = List.of("a", "b", "c");

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestJobs.miniCluster(REPORTER, 1, 4);

    @RegisterExtension static final ServerPair SERVERS = new ServerPair();

    @TempDir Path stateDir;

    @Test
    void changedSelectionOrDatabaseIsRefusedAndTheOriginalFileResumes(
            @InjectClusterClient ClusterClient<?> client) throws Exception {
        String sourceDb = MongoTestServer.freshDatabaseName("changed");
        String otherDb = sourceDb + "_other";
        String targetDb = sourceDb + "_copy";
        MongoDatabase source = SERVERS.sourceClient().getDatabase(sourceDb);
        for (String c : List.of("a", "b", "c", "d")) {
            TestData.insertNumbered(source, c, 0, 500);
            TestData.insertNumbered(SERVERS.sourceClient().getDatabase(otherDb), c, 0, 10);
        }
        Map<String, String> raw =
                TestJobs.options(SERVERS.sourceUri(), sourceDb, SERVERS.targetUri(), targetDb, stateDir);
        raw.put("sync.type", "full+incremental");
        raw.put("source.collections", "a;b;c");
        raw.put("checkpoint.interval", "500 ms");
        raw.put("flink.restart-strategy.type", "fixed-delay");
        raw.put("flink.restart-strategy.fixed-delay.attempts", "10");
        raw.put("flink.restart-strategy.fixed-delay.delay", "500 ms");

        JobID first = TestJobs.submit(client, MigrationConfig.fromRaw(raw), null);
        TestJobs.await(
                "the snapshot to finish",
                Duration.ofMinutes(2),
                () -> TestJobs.sum(REPORTER, first, "collectionsFinished") == COLLECTIONS.size());
        String savepoint = TestJobs.stopWithSavepoint(client, first, stateDir.resolve("sp"));
        TestJobs.awaitTermination(client, first, Duration.ofMinutes(1));
        TestData.insertNumbered(source, "a", 1000, 100); // changes while stopped: a refused resume must not write them
        MongoDatabase target = SERVERS.targetClient().getDatabase(targetDb);
        long before = target.getCollection("a").countDocuments();

        Map<String, String> added = new java.util.LinkedHashMap<>(raw);
        added.put("source.collections", "a;b;c;d");
        assertThat(refusal(client, added, savepoint))
                .contains("Refusing to resume")
                .contains("source.collections: savepoint 'a;b;c', job file 'a;b;c;d'")
                .contains("Nothing was written");

        Map<String, String> otherSource = new java.util.LinkedHashMap<>(raw);
        otherSource.put("source.database", otherDb);
        otherSource.put("target.database", targetDb);
        assertThat(refusal(client, otherSource, savepoint))
                .contains("source.database: savepoint '" + sourceDb + "', job file '" + otherDb + "'");

        Map<String, String> otherTarget = new java.util.LinkedHashMap<>(raw);
        otherTarget.put("target.database", targetDb + "2");
        otherTarget.put("target.writers", "1"); // honoured, not refused
        assertThat(refusal(client, otherTarget, savepoint))
                .contains("target.database: savepoint '" + targetDb + "', job file '" + targetDb + "2'")
                .doesNotContain("target.writers");
        assertThat(target.getCollection("a").countDocuments()).as("nothing was written").isEqualTo(before);
        assertThat(SERVERS.targetClient().getDatabase(targetDb + "2").listCollectionNames().first()).isNull();

        Map<String, String> honoured = new java.util.LinkedHashMap<>(raw);
        honoured.put("target.writers", "1");
        honoured.put("snapshot.readers", "1");
        JobID resumed = TestJobs.submit(client, MigrationConfig.fromRaw(honoured), savepoint);
        List<CollectionDiff> diffs = new ArrayList<>();
        TestJobs.await(
                "the target to equal the source",
                Duration.ofMinutes(2),
                () -> {
                    diffs.clear();
                    COLLECTIONS.forEach(c -> diffs.add(CollectionDiff.of(source, target, c)));
                    return diffs.stream().allMatch(CollectionDiff::isEqual);
                });
        TestJobs.cancel(client, resumed);
    }

    /** Submits a resume that must fail at once (no restart); returns the failure's messages. */
    private static String refusal(ClusterClient<?> client, Map<String, String> raw, String savepoint)
            throws Exception {
        JobID job = TestJobs.submit(client, MigrationConfig.fromRaw(raw), savepoint);
        TestJobs.await(
                "the resume to be refused",
                Duration.ofSeconds(60),
                () -> {
                    try {
                        return client.getJobStatus(job).get() == JobStatus.FAILED;
                    } catch (Exception e) {
                        return false;
                    }
                });
        Throwable failure =
                client.requestJobResult(job).get().getSerializedThrowable().orElseThrow()
                        .deserializeError(ChangedJobFileITCase.class.getClassLoader());
        assertThat(TestJobs.byIdentifier(REPORTER, job, "numRestarts"))
                .as("refused without a restart")
                .isNotEmpty()
                .allSatisfy((id, restarts) -> assertThat(restarts).isZero());
        return ExceptionUtils.stringifyException(failure);
    }
}
