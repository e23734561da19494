package io.mongoresume.job.topology;

import com.mongodb.client.MongoDatabase;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.job.config.InvalidConfigException;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.plan.MigrationPlan;
import io.mongoresume.job.testutils.ServerPair;
import io.mongoresume.job.testutils.TestData;
import io.mongoresume.job.testutils.TestJobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One job owns a target namespace. Seen on main at 7eef506: two jobs from two sources onto one target
 * collection both ran and exited 0, and the target equalled neither source.
 */
class TargetOwnershipITCase {

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestJobs.miniCluster(REPORTER, 1, 6);

    @RegisterExtension static final ServerPair SERVERS = new ServerPair();

    @TempDir Path stateDir;

    @Test
    void aSecondJobIsRefusedUntilItTakesOverAndTheOwnerResumesMeanwhile(
            @InjectClusterClient ClusterClient<?> client) throws Exception {
        String shopA = MongoTestServer.freshDatabaseName("own_a");
        String shopB = MongoTestServer.freshDatabaseName("own_b");
        String targetDb = MongoTestServer.freshDatabaseName("own_t");
        MongoDatabase sourceA = SERVERS.sourceClient().getDatabase(shopA);
        MongoDatabase sourceB = SERVERS.sourceClient().getDatabase(shopB);
        MongoDatabase target = SERVERS.targetClient().getDatabase(targetDb);
        TestData.insertNumbered(sourceA, "x", 0, 800);
        TestData.insertNumbered(sourceA, "y", 0, 300);
        TestData.insertNumbered(sourceB, "x", 5000, 600);

        JobID a = TestJobs.submit(client, config(shopA, targetDb, "x", "a"), null);
        TestData.awaitEqual(sourceA, target, List.of("x"), Duration.ofMinutes(1));

        // A second job onto the owned collection is refused before it starts ...
        assertThatThrownBy(() -> TestJobs.submit(client, config(shopB, targetDb, "x", "b"), null))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("The target is owned by another migration")
                .hasMessageContaining(targetDb + ".x by job 'a'")
                .hasMessageContaining("target.take-over=true");
        // ... and, should two start at once, by the job itself before its first write.
        JobID racing = client.submitJob(graphWithoutPreflight(config(shopB, targetDb, "x", "b"))).get();
        assertThat(failure(client, racing)).contains("The target is owned by another migration");
        TestData.awaitEqual(sourceA, target, List.of("x"), Duration.ofMinutes(1));

        // Disjoint collections of the same target database are fine.
        JobID c = TestJobs.submit(client, config(shopA, targetDb, "y", "c"), null);
        TestData.awaitEqual(sourceA, target, List.of("y"), Duration.ofMinutes(1));
        TestJobs.cancel(client, c);

        // A stopped owner keeps its claim: another job is still refused, the owner resumes.
        String savepoint = TestJobs.stopWithSavepoint(client, a, stateDir.resolve("sp-a"));
        TestJobs.awaitTermination(client, a, Duration.ofMinutes(1));
        assertThatThrownBy(() -> TestJobs.submit(client, config(shopB, targetDb, "x", "b"), null))
                .hasMessageContaining("by job 'a'");
        TestData.insertNumbered(sourceA, "x", 10_000, 50);
        JobID resumed = TestJobs.submit(client, config(shopA, targetDb, "x", "a"), savepoint);
        TestData.awaitEqual(sourceA, target, List.of("x"), Duration.ofMinutes(1));

        // Take-over: the new job claims the collection, the old one stops at its next checkpoint.
        Map<String, String> takeOver = raw(shopB, targetDb, "x", "b");
        takeOver.put("target.take-over", "true");
        takeOver.put("target.existing-data", "drop");
        JobID b = TestJobs.submit(client, MigrationConfig.fromRaw(takeOver), null);
        assertThat(failure(client, resumed)).contains("This job no longer owns target " + targetDb + ".x");
        TestData.awaitEqual(sourceB, target, List.of("x"), Duration.ofMinutes(1));
        TestJobs.cancel(client, b);
    }

    private Map<String, String> raw(String sourceDb, String targetDb, String collection, String jobName) {
        Map<String, String> raw =
                TestJobs.options(SERVERS.sourceUri(), sourceDb, SERVERS.targetUri(), targetDb, stateDir);
        raw.put("sync.type", "full+incremental");
        raw.put("source.collections", collection);
        raw.put("job.name", jobName);
        raw.put("checkpoint.interval", "500 ms");
        raw.put("snapshot.readers", "1");
        raw.put("target.writers", "1");
        return new LinkedHashMap<>(raw);
    }

    private MigrationConfig config(String sourceDb, String targetDb, String collection, String jobName) {
        return MigrationConfig.fromRaw(raw(sourceDb, targetDb, collection, jobName));
    }

    private static JobGraph graphWithoutPreflight(MigrationConfig config) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        MigrationPlan plan = MigrationPlan.of(config);
        List<String> collections = plan.selection().collections();
        MigrationJob.build(
                env,
                new CheckedPlan(
                        plan,
                        collections,
                        plan.start().resolve(plan.sourceConnection(), plan.sourceDatabase(), collections)));
        return env.getStreamGraph().getJobGraph();
    }

    private static String failure(ClusterClient<?> client, JobID job) throws Exception {
        TestJobs.await(
                "job " + job + " to fail",
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
                        .deserializeError(TargetOwnershipITCase.class.getClassLoader());
        return ExceptionUtils.stringifyException(failure);
    }
}
