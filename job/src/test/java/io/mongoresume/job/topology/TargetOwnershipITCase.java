package io.mongoresume.job.topology;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.util.ExceptionUtils;

import com.mongodb.client.MongoDatabase;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.job.config.InvalidConfigException;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.config.SyncType;
import io.mongoresume.job.plan.MigrationPlan;
import io.mongoresume.job.testutils.JobOptions;
import io.mongoresume.job.testutils.Migration;
import io.mongoresume.job.testutils.MigrationCluster;
import io.mongoresume.job.testutils.TestData;
import io.mongoresume.job.testutils.TestJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One job owns a target namespace. Seen on main at 7eef506: two jobs from two sources onto one
 * target collection both ran and exited 0, and the target equalled neither source.
 */
class TargetOwnershipITCase {

    @RegisterExtension static final MigrationCluster CLUSTER = MigrationCluster.of(1, 6);

    @Test
    void aSecondJobIsRefusedUntilItTakesOverAndTheOwnerResumesMeanwhile(
            @InjectClusterClient ClusterClient<?> client) throws Exception {
        String targetDb = MongoTestServer.freshDatabaseName("own_t");
        Migration shopA = CLUSTER.migration(MongoTestServer.freshDatabaseName("own_a"), targetDb);
        Migration shopB = CLUSTER.migration(MongoTestServer.freshDatabaseName("own_b"), targetDb);
        MongoDatabase sourceA = shopA.source();
        MongoDatabase sourceB = shopB.source();
        MongoDatabase target = shopA.target();
        TestData.insertNumbered(sourceA, "x", 0, 800);
        TestData.insertNumbered(sourceA, "y", 0, 300);
        TestData.insertNumbered(sourceB, "x", 5000, 600);

        JobID a = TestJobs.submit(client, config(shopA, "x", "a"), null);
        TestData.awaitEqual(sourceA, target, List.of("x"), Duration.ofMinutes(1));

        // A second job onto the owned collection is refused before it starts ...
        assertThatThrownBy(() -> TestJobs.submit(client, config(shopB, "x", "b"), null))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("The target is owned by another migration")
                .hasMessageContaining(targetDb + ".x by job 'a'")
                .hasMessageContaining("target.take-over=true");
        // ... and, should two start at once, by the job itself before its first write.
        JobID racing = client.submitJob(graphWithoutPreflight(config(shopB, "x", "b"))).get();
        assertThat(failure(client, racing)).contains("The target is owned by another migration");
        TestData.awaitEqual(sourceA, target, List.of("x"), Duration.ofMinutes(1));

        // Disjoint collections of the same target database are fine.
        JobID c = TestJobs.submit(client, config(shopA, "y", "c"), null);
        TestData.awaitEqual(sourceA, target, List.of("y"), Duration.ofMinutes(1));
        TestJobs.cancel(client, c);

        // A stopped owner keeps its claim: another job is still refused, the owner resumes.
        String savepoint = TestJobs.stopAndAwait(client, a, shopA.stateDir().resolve("sp-a"));
        assertThatThrownBy(() -> TestJobs.submit(client, config(shopB, "x", "b"), null))
                .hasMessageContaining("by job 'a'");
        TestData.insertNumbered(sourceA, "x", 10_000, 50);
        JobID resumed = TestJobs.submit(client, config(shopA, "x", "a"), savepoint);
        TestData.awaitEqual(sourceA, target, List.of("x"), Duration.ofMinutes(1));

        // Take-over: the new job claims the collection, the old one stops at its next checkpoint.
        JobOptions takeOver =
                options(shopB, "x", "b")
                        .set("target.take-over", "true")
                        .set("target.existing-data", "drop");
        JobID b = TestJobs.submit(client, takeOver.config(), null);
        assertThat(failure(client, resumed))
                .contains("This job no longer owns target " + targetDb + ".x");
        TestData.awaitEqual(sourceB, target, List.of("x"), Duration.ofMinutes(1));
        TestJobs.cancel(client, b);
    }

    private static JobOptions options(Migration migration, String collection, String jobName) {
        return migration
                .options()
                .sync(SyncType.FULL_INCREMENTAL)
                .collections(collection)
                .set("job.name", jobName)
                .checkpointInterval("500 ms")
                .set("snapshot.readers", "1")
                .set("target.writers", "1");
    }

    private static MigrationConfig config(Migration migration, String collection, String jobName) {
        return options(migration, collection, jobName).config();
    }

    private static JobGraph graphWithoutPreflight(MigrationConfig config) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        MigrationPlan plan = MigrationPlan.of(config);
        List<String> namespaces = plan.selection().listedNamespaces();
        MigrationJob.build(
                env,
                new CheckedPlan(
                        plan,
                        namespaces,
                        plan.start()
                                .resolve(
                                        plan.sourceConnection(),
                                        namespaces,
                                        plan.sourceDatabase())));
        return env.getStreamGraph().getJobGraph();
    }

    private static String failure(ClusterClient<?> client, JobID job) throws Exception {
        return ExceptionUtils.stringifyException(
                TestJobs.awaitFailure(client, job, Duration.ofSeconds(60)));
    }
}
