package io.mongoresume.job.convergence;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.InjectMiniCluster;

import com.mongodb.client.MongoDatabase;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.config.SyncType;
import io.mongoresume.job.demo.SampleDataSeeder;
import io.mongoresume.job.demo.SeedPlan;
import io.mongoresume.job.demo.WorkloadGenerator;
import io.mongoresume.job.demo.WorkloadStats;
import io.mongoresume.job.testutils.CollectionDiff;
import io.mongoresume.job.testutils.Migration;
import io.mongoresume.job.testutils.MigrationCluster;
import io.mongoresume.job.testutils.TestData;
import io.mongoresume.job.testutils.TestJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * full+incremental under live writes: a workload inserts, updates ($set, $inc, $unset, arrays),
 * replaces, deletes and deletes-then-reinserts during the snapshot and after it, and the target
 * must end equal to the source document by document — also across stops with savepoints and
 * TaskManager failures.
 */
class ConvergenceITCase {

    private static final SeedPlan PLAN = SeedPlan.of(7L, 1000, 5000, 1000);
    private static final List<String> COLLECTIONS = TestData.SAMPLE_COLLECTIONS;

    @RegisterExtension static final MigrationCluster CLUSTER = MigrationCluster.of(2, 2);

    @ParameterizedTest
    @ValueSource(strings = {"count", "min-max"})
    void convergesUnderLiveWrites(String strategy, @InjectClusterClient ClusterClient<?> client)
            throws Exception {
        Scenario s = new Scenario("live_" + strategy.replace('-', '_'), strategy);
        s.workload.start();
        JobID job = TestJobs.submit(client, s.config, null);
        awaitSnapshotDone(job);
        Thread.sleep(1500); // changes after the snapshot, through the pass-through path
        s.finish(client, job);
    }

    @Test
    void stopAndResumeMidSnapshotAndMidCdc(@InjectClusterClient ClusterClient<?> client)
            throws Exception {
        Scenario s = new Scenario("stops", "count");
        s.workload.start();
        JobID first = TestJobs.submit(client, s.config, null);
        s.awaitTargetDocuments(PLAN.totalDocuments() / 4);
        String midSnapshot =
                TestJobs.stopAndAwait(client, first, s.migration.stateDir().resolve("sp1"));
        assertThat(CLUSTER.sum(first, "collectionsFinished"))
                .as("stopped before the snapshot ended")
                .isLessThan(COLLECTIONS.size());

        Thread.sleep(500); // the source keeps changing while the job is stopped
        JobID second = TestJobs.submit(client, s.config, midSnapshot);
        awaitSnapshotDone(second);
        Thread.sleep(1000);
        String midCdc =
                TestJobs.stopAndAwait(client, second, s.migration.stateDir().resolve("sp2"));

        Thread.sleep(500);
        JobID third = TestJobs.submit(client, s.config, midCdc);
        s.finish(client, third);
    }

    @Test
    void tenStopResumeCycles(@InjectClusterClient ClusterClient<?> client) throws Exception {
        Scenario s = new Scenario("cycles", "count");
        s.workload.start();
        String savepoint = null;
        for (int cycle = 0; cycle < 10; cycle++) {
            JobID job = TestJobs.submit(client, s.config, savepoint);
            Thread.sleep(700);
            savepoint =
                    TestJobs.stopAndAwait(
                            client, job, s.migration.stateDir().resolve("cycle" + cycle));
        }
        JobID last = TestJobs.submit(client, s.config, savepoint);
        s.finish(client, last);
    }

    @Test
    void taskManagerFailuresMidSnapshotAndMidCdc(
            @InjectClusterClient ClusterClient<?> client,
            @InjectMiniCluster MiniCluster miniCluster)
            throws Exception {
        Scenario s = new Scenario("failover", "min-max");
        s.workload.start();
        JobID job = TestJobs.submit(client, s.config, null);
        s.awaitTargetDocuments(PLAN.totalDocuments() / 4);
        miniCluster.terminateTaskManager(0).get();
        miniCluster.startTaskManager();
        awaitSnapshotDone(job);
        Thread.sleep(1500);
        miniCluster.terminateTaskManager(1).get();
        miniCluster.startTaskManager();
        Thread.sleep(1500);
        s.finish(client, job);
    }

    private static void awaitSnapshotDone(JobID job) throws InterruptedException {
        CLUSTER.awaitSnapshotFinished(job, COLLECTIONS.size(), Duration.ofMinutes(3));
    }

    /** One test's databases, workload and job options. */
    private static final class Scenario {
        final Migration migration;
        final MigrationConfig config;
        final WorkloadGenerator workload;

        Scenario(String name, String strategy) {
            migration = CLUSTER.migration(name);
            SampleDataSeeder.seed(migration.source(), PLAN);
            config =
                    migration
                            .options()
                            .sync(SyncType.FULL_INCREMENTAL)
                            .set("snapshot.partition.strategy", strategy)
                            .set("snapshot.partition.size", "2500")
                            .set("snapshot.partition.count", "4")
                            .set("snapshot.batch-read-limit", "1000")
                            .checkpointInterval("500 ms")
                            .fixedDelayRestarts(10, "500 ms")
                            .config();
            workload =
                    WorkloadGenerator.builder()
                            .uri(CLUSTER.servers().sourceUri())
                            .database(migration.sourceDb())
                            .collections(COLLECTIONS)
                            .opsPerSecond(200)
                            .seed(name.hashCode())
                            .build();
        }

        void awaitTargetDocuments(long count) throws InterruptedException {
            MongoDatabase db = migration.target();
            TestJobs.await(
                    count + " documents in the target",
                    Duration.ofMinutes(2),
                    () ->
                            COLLECTIONS.stream()
                                            .mapToLong(
                                                    c ->
                                                            db.getCollection(c)
                                                                    .estimatedDocumentCount())
                                            .sum()
                                    >= count);
        }

        /** Stops the workload, waits until the job has caught up, compares, cancels the job. */
        void finish(ClusterClient<?> client, JobID job) throws Exception {
            WorkloadStats stats = workload.stop();
            assertThat(stats.totalOperations()).as("the workload ran").isGreaterThan(100);
            List<CollectionDiff> diffs = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (true) {
                diffs.clear();
                for (String collection : COLLECTIONS) {
                    diffs.add(
                            CollectionDiff.ofReplacedDocuments(
                                    migration.source(), migration.target(), collection));
                }
                if (diffs.stream().allMatch(CollectionDiff::isEqual)
                        || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(500);
            }
            TestJobs.cancel(client, job);
            long compared = diffs.stream().mapToLong(d -> d.sourceCount).sum();
            System.out.printf(
                    "%s: %d workload operations %s, %d documents compared, differences: %s%n",
                    migration.sourceDb(), stats.totalOperations(), stats.counts(), compared, diffs);
            for (CollectionDiff diff : diffs) {
                assertThat(diff.isEqual()).as(diff.toString()).isTrue();
            }
        }
    }
}
