package io.mongoresume.job.topology;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.InjectMiniCluster;

import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.config.SyncType;
import io.mongoresume.job.demo.SampleDataSeeder;
import io.mongoresume.job.demo.SeedPlan;
import io.mongoresume.job.demo.WorkloadGenerator;
import io.mongoresume.job.demo.WorkloadOperation;
import io.mongoresume.job.demo.WorkloadStats;
import io.mongoresume.job.merge.SnapshotCdcMergeFunction;
import io.mongoresume.job.testutils.CollectionDiff;
import io.mongoresume.job.testutils.JobOptions;
import io.mongoresume.job.testutils.Migration;
import io.mongoresume.job.testutils.MigrationCluster;
import io.mongoresume.job.testutils.ResumeFigures;
import io.mongoresume.job.testutils.TestData;
import io.mongoresume.job.testutils.TestJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A savepoint resume with other parallelism. The job takes each operator's parallelism from its
 * options alone (snapshot readers: {@code snapshot.readers}; change-stream readers: {@code
 * cdc.readers}; merge, guard and sink: {@code target.writers}), so changing those three at a resume
 * is the rescale. Mid-snapshot, up and down, the job's own metrics summed over both runs show what
 * {@link ResumeExactnessITCase} shows for an unchanged one: nothing emitted twice, no finished
 * split read again, the target equal to the source. Under live writes, across a stop mid-snapshot
 * and one mid-CDC, the target converges and the merge's count of keys held in state comes through
 * whole.
 */
class RescaleAtResumeITCase {

    private static final int DOCUMENTS = 60_000;
    private static final int SPLITS = 24;
    private static final int BATCH_READ_LIMIT = 1000;

    /** 8 readers or writers need 8 slots (all operators share slots). */
    @RegisterExtension static final MigrationCluster CLUSTER = MigrationCluster.of(1, 8);

    private static final SeedPlan PLAN = SeedPlan.of(11L, 1500, 8000, 1500);
    private static final List<String> COLLECTIONS = TestData.SAMPLE_COLLECTIONS;
    private static final String KEYS_IN_STATE = SnapshotCdcMergeFunction.KEYS_IN_STATE;

    @ParameterizedTest(name = "{0} -> {1} readers and writers")
    @CsvSource({"4, 8", "8, 2"})
    void midSnapshotResumeWithOtherParallelismCopiesNothingTwice(
            int before,
            int after,
            @InjectClusterClient ClusterClient<?> client,
            @InjectMiniCluster MiniCluster miniCluster,
            Migration migration)
            throws Exception {
        TestData.insertCustomers(migration.source().getCollection("orders"), DOCUMENTS);
        // At the stop some splits are finished and about one per reader is half read.
        JobOptions options =
                options(migration)
                        .set("snapshot.partition.size", String.valueOf(DOCUMENTS / SPLITS))
                        .set("snapshot.batch-read-limit", String.valueOf(BATCH_READ_LIMIT));

        Parallelism from = Parallelism.ofCopy(before, before);
        Parallelism to = Parallelism.ofCopy(after, after);
        JobID first = TestJobs.submit(client, from.of(options), null);
        TestJobs.await(
                "about half of the documents in the target",
                Duration.ofMinutes(2),
                () ->
                        migration.target().getCollection("orders").estimatedDocumentCount()
                                >= DOCUMENTS * 0.4);
        String savepoint =
                TestJobs.stopAndAwait(client, first, migration.stateDir().resolve("savepoints"));
        assertNoFailover(first);
        ResumeFigures figures = ResumeFigures.before(CLUSTER, first);
        assertThat(figures.emittedBefore()).as("stopped mid-way").isBetween(1L, DOCUMENTS - 1L);
        assertThat(splitsFinished(first))
                .as("splits finished before the stop (of %d)", SPLITS)
                .isBetween(1L, SPLITS - 1L);

        JobID second = TestJobs.submit(client, to.of(options), savepoint);
        TestJobs.awaitTermination(client, second, Duration.ofMinutes(2));
        assertNoFailover(second);
        figures = figures.after(CLUSTER, second);
        System.out.printf("rescale %d -> %d: %s%n", before, after, figures);

        from.assertRan(miniCluster, first);
        to.assertRan(miniCluster, second);
        CollectionDiff diff = migration.diff("orders");
        assertThat(diff.isEqual()).as(diff.toString()).isTrue();
        // Each of the old readers had at most one split in progress, whoever holds it now.
        figures.assertExact(DOCUMENTS, (long) before * BATCH_READ_LIMIT);
    }

    /**
     * Up at a stop mid-snapshot (change streams running beside it), down at a stop mid-CDC, the
     * source changing all along. The merge counts the keys it holds per subtask in operator state,
     * which a rescale redistributes: only the sum is meaningful, and it must come through whole.
     * Keys are held until their collection's snapshot is done, so the sum is positive at the first
     * stop; once every collection is done it must come to exactly 0 (a count lost at the restore
     * would go below 0, one doubled would stay above it) and stay there across the second rescale,
     * as changes of done collections pass the merge without state.
     */
    @Test
    void liveWritesConvergeAcrossRescaledResumes(
            @InjectClusterClient ClusterClient<?> client,
            @InjectMiniCluster MiniCluster miniCluster)
            throws Exception {
        Migration migration = CLUSTER.migration("live");
        SampleDataSeeder.seed(migration.source(), PLAN);
        JobOptions options =
                options(migration)
                        .sync(SyncType.FULL_INCREMENTAL)
                        .set("snapshot.partition.size", "1000")
                        .set("snapshot.batch-read-limit", "500")
                        .checkpointInterval("500 ms");
        WorkloadGenerator workload =
                WorkloadGenerator.builder()
                        .uri(CLUSTER.servers().sourceUri())
                        .database(migration.sourceDb())
                        .collections(COLLECTIONS)
                        .opsPerSecond(200)
                        .seed(11L)
                        .build();
        workload.start();

        Parallelism start = new Parallelism(4, 2, 4);
        JobID first = TestJobs.submit(client, start.of(options), null);
        TestJobs.await(
                "a quarter of the documents in the target",
                Duration.ofMinutes(2),
                () -> targetDocuments(migration) >= PLAN.totalDocuments() / 4);
        String midSnapshot =
                TestJobs.stopAndAwait(client, first, migration.stateDir().resolve("sp1"));
        assertNoFailover(first);
        long heldAtFirstStop = CLUSTER.sum(first, KEYS_IN_STATE);
        assertThat(CLUSTER.sum(first, "collectionsFinished"))
                .as("stopped before the snapshot ended")
                .isLessThan(COLLECTIONS.size());
        assertThat(heldAtFirstStop)
                .as("keys touched by changes before their collection's snapshot was done")
                .isPositive();

        Parallelism up = new Parallelism(8, 5, 8);
        JobID second = TestJobs.submit(client, up.of(options), midSnapshot);
        CLUSTER.awaitSnapshotFinished(second, COLLECTIONS.size(), Duration.ofMinutes(2));
        awaitKeysReleased(second, 8, Duration.ofMinutes(1));
        Thread.sleep(1000); // changes after the snapshot, through the pass-through path
        String midCdc = TestJobs.stopAndAwait(client, second, migration.stateDir().resolve("sp2"));
        assertNoFailover(second);
        long heldAtSecondStop = CLUSTER.sum(second, KEYS_IN_STATE);

        Parallelism down = new Parallelism(2, 1, 2);
        JobID third = TestJobs.submit(client, down.of(options), midCdc);
        long restored = keysInState(third, 2);
        Thread.sleep(2000); // the source keeps changing after the resume
        WorkloadStats stats = workload.stop();
        migration.awaitEqual(COLLECTIONS, Duration.ofMinutes(2));
        long heldAtEnd = keysInState(third, 2);
        assertNoFailover(third);
        long changesAfterResume =
                CLUSTER.sum(third, SnapshotCdcMergeFunction.CHANGE_EVENTS_EMITTED);
        TestJobs.cancel(client, third);
        start.assertRan(miniCluster, first);
        up.assertRan(miniCluster, second);
        down.assertRan(miniCluster, third);
        System.out.printf(
                "live rescale: %s; keys in state at the first stop %d, at the second %d, after its"
                        + " resume %d, at the end %d (after %d changes in the last run)%n",
                stats, heldAtFirstStop, heldAtSecondStop, restored, heldAtEnd, changesAfterResume);

        assertThat(stats.count(WorkloadOperation.INSERT)).as("inserts").isPositive();
        assertThat(stats.count(WorkloadOperation.SET)).as("updates").isPositive();
        assertThat(stats.count(WorkloadOperation.DELETE)).as("deletes").isPositive();
        assertThat(changesAfterResume).as("changes after the second resume").isPositive();
        assertThat(heldAtSecondStop).as("keys in state at the mid-CDC stop").isZero();
        assertThat(restored)
                .as("keys in state right after the mid-CDC resume: what the stop left")
                .isEqualTo(heldAtSecondStop);
        assertThat(heldAtEnd)
                .as("keys in state at the end: changes of done collections add none")
                .isEqualTo(heldAtSecondStop);
    }

    /**
     * The common options, with the product's timeouts rather than the tests' 5 s: on a loaded
     * machine the embedded server can take longer over a round trip, and the failover that would
     * follow is not what this class is about.
     */
    private static JobOptions options(Migration migration) {
        return migration.options().set("source.timeout", "30 s").set("target.timeout", "30 s");
    }

    /**
     * A failover replays from the job's last checkpoint, and the metrics would count both attempts
     * (a restarted task registers its metrics again): the counts below are for runs without one.
     */
    private static void assertNoFailover(JobID job) {
        assertThat(CLUSTER.byIdentifier(job, "numRestarts"))
                .as("restarts of job %s", job)
                .isNotEmpty()
                .allSatisfy((id, restarts) -> assertThat(restarts).as(id).isZero());
    }

    /** The merge's {@code keysInState} summed over its subtasks, once every one has it. */
    private static long keysInState(JobID job, int subtasks) throws InterruptedException {
        TestJobs.await(
                subtasks + " merge subtasks to report " + KEYS_IN_STATE,
                Duration.ofMinutes(1),
                () -> CLUSTER.byIdentifier(job, KEYS_IN_STATE).size() == subtasks);
        return CLUSTER.sum(job, KEYS_IN_STATE);
    }

    /**
     * Waits until the merge holds no key; fails at once on a negative sum, which a count lost at a
     * restore would give.
     */
    private static void awaitKeysReleased(JobID job, int subtasks, Duration timeout)
            throws InterruptedException {
        long[] last = {keysInState(job, subtasks)};
        try {
            TestJobs.await(
                    "the merge to release every key",
                    timeout,
                    () -> {
                        last[0] = CLUSTER.sum(job, KEYS_IN_STATE);
                        assertThat(last[0]).as(KEYS_IN_STATE + " summed").isNotNegative();
                        return last[0] == 0;
                    });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (last sum " + last[0] + ")", e);
        }
    }

    /** The enumerator's count over all collections (it also counts per collection). */
    private static long splitsFinished(JobID job) {
        return CLUSTER.byIdentifier(job, "splitsFinished").entrySet().stream()
                .filter(e -> e.getKey().endsWith(".enumerator.splitsFinished"))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    private static long targetDocuments(Migration migration) {
        return COLLECTIONS.stream()
                .mapToLong(c -> migration.target().getCollection(c).estimatedDocumentCount())
                .sum();
    }

    /** The three options that set the job's operator parallelism. */
    private record Parallelism(int snapshotReaders, int cdcReaders, int writers) {

        /** Without change streams (sync.type full), {@code cdc.readers} stays at its default. */
        static Parallelism ofCopy(int readers, int writers) {
            return new Parallelism(readers, 0, writers);
        }

        MigrationConfig of(JobOptions options) {
            JobOptions set =
                    options.copy()
                            .set("snapshot.readers", String.valueOf(snapshotReaders))
                            .set("target.writers", String.valueOf(writers));
            return (cdcReaders > 0 ? set.set("cdc.readers", String.valueOf(cdcReaders)) : set)
                    .config();
        }

        /** The job's vertices ran with these numbers of subtasks (the sink's chain: writers). */
        void assertRan(MiniCluster miniCluster, JobID job) throws Exception {
            Map<String, Integer> vertices = new LinkedHashMap<>();
            for (AccessExecutionJobVertex vertex :
                    miniCluster.getExecutionGraph(job).get().getAllVertices().values()) {
                vertices.put(vertex.getName(), vertex.getParallelism());
            }
            assertThat(subtasks(vertices, "Source: Snapshot")).isEqualTo(snapshotReaders);
            assertThat(subtasks(vertices, "MongoDB sink")).isEqualTo(writers);
            if (cdcReaders > 0) {
                assertThat(subtasks(vertices, "Source: Change streams")).isEqualTo(cdcReaders);
            }
        }

        private static int subtasks(Map<String, Integer> vertices, String namePart) {
            return vertices.entrySet().stream()
                    .filter(v -> v.getKey().contains(namePart))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new AssertionError(
                                            "No vertex '" + namePart + "' in " + vertices));
        }
    }
}
