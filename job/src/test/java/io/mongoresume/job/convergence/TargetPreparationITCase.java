package io.mongoresume.job.convergence;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.mongoresume.connectors.testutils.DelayingProxy;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.demo.WorkloadGenerator;
import io.mongoresume.job.demo.WorkloadStats;
import io.mongoresume.job.testutils.ServerPair;
import io.mongoresume.job.testutils.TestData;
import io.mongoresume.job.testutils.TestJobs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code target.existing-data: drop} clears the target once, when the migration first starts, and never again:
 * not on a resume (from a savepoint or a retained checkpoint) after the snapshot had finished, and not after
 * changes of a collection were already written to the target.
 */
class TargetPreparationITCase {

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestJobs.miniCluster(REPORTER, 1, 4);

    @RegisterExtension static final ServerPair SERVERS = new ServerPair();

    @TempDir Path stateDir;

    /**
     * Seen on main at 7eef506: the resume dropped the target again and left only the ~900 documents changed
     * since, 19 500 of 20 400 missing.
     */
    @Test
    void aResumeAfterTheSnapshotFinishedNeverDropsTheTargetAgain(
            @InjectClusterClient ClusterClient<?> client) throws Exception {
        String sourceDb = MongoTestServer.freshDatabaseName("prep_resume");
        String targetDb = sourceDb + "_copy";
        MongoDatabase source = SERVERS.sourceClient().getDatabase(sourceDb);
        MongoDatabase target = SERVERS.targetClient().getDatabase(targetDb);
        TestData.insertNumbered(source, "orders", 0, 4000);
        TestData.insertNumbered(source, "customers", 0, 1000);
        // Data of an earlier migration that the first start must drop.
        TestData.insertNumbered(target, "orders", 100_000, 300);
        MigrationConfig config = config(sourceDb, targetDb, "orders;customers");

        JobID first = TestJobs.submit(client, config, null);
        awaitSnapshotDone(first, 2);
        change(source, 1);
        String savepoint = TestJobs.stopWithSavepoint(client, first, stateDir.resolve("sp"));
        TestJobs.awaitTermination(client, first, Duration.ofMinutes(1));
        change(source, 2);

        JobID second = TestJobs.submit(client, config, savepoint);
        TestData.awaitEqual(source, target, List.of("orders", "customers"), Duration.ofMinutes(2));
        change(source, 3);
        TestData.awaitEqual(source, target, List.of("orders", "customers"), Duration.ofMinutes(2));
        TestJobs.cancel(client, second);

        // A retained checkpoint of the resumed job is a restore path too.
        change(source, 4);
        String checkpoint = TestJobs.latestRetainedCheckpoint(stateDir.resolve("checkpoints"), second);
        JobID third = TestJobs.submit(client, config, checkpoint);
        TestData.awaitEqual(source, target, List.of("orders", "customers"), Duration.ofMinutes(2));
        TestJobs.cancel(client, third);
    }

    /**
     * The change streams start before the snapshot; with {@code drop} a change written to the target before
     * its collection was dropped went with it (the old enumerator prepared each collection only when it got to
     * partitioning it), and the merge then dropped that document's snapshot row too.
     */
    @Test
    void changesAreNotWrittenBeforeTheirCollectionIsPrepared(@InjectClusterClient ClusterClient<?> client)
            throws Exception {
        // A target some milliseconds away: preparing 16 collections then takes seconds, long enough for the
        // change streams to write first if nothing holds them back.
        try (DelayingProxy proxy = new DelayingProxy(port(SERVERS.targetUri()))) {
            proxy.setReplyDelayMillis(40);
            changesAreNotWrittenBeforeTheirCollectionIsPrepared(
                    client, "mongodb://127.0.0.1:" + proxy.port() + "/?directConnection=true");
        }
    }

    private void changesAreNotWrittenBeforeTheirCollectionIsPrepared(
            ClusterClient<?> client, String targetUri) throws Exception {
        String sourceDb = MongoTestServer.freshDatabaseName("prep_order");
        String targetDb = sourceDb + "_copy";
        MongoDatabase source = SERVERS.sourceClient().getDatabase(sourceDb);
        MongoDatabase target = SERVERS.targetClient().getDatabase(targetDb);
        List<String> collections = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String name = String.format("c%02d", i);
            collections.add(name);
            TestData.insertNumbered(source, name, 0, 300);
            TestData.insertNumbered(target, name, 50_000, 20);
        }
        WorkloadGenerator workload =
                WorkloadGenerator.builder()
                        .uri(SERVERS.sourceUri())
                        .database(sourceDb)
                        .collections(collections)
                        .opsPerSecond(300)
                        .seed(13)
                        .build();
        workload.start();
        Map<String, String> raw = raw(sourceDb, targetDb, String.join(";", collections));
        raw.put("target.uri", targetUri);
        JobID job = TestJobs.submit(client, MigrationConfig.fromRaw(raw), null);
        awaitSnapshotDone(job, collections.size());
        Thread.sleep(1000);
        WorkloadStats stats = workload.stop();
        assertThat(stats.totalOperations()).isGreaterThan(100);
        TestData.awaitEqual(source, target, collections, Duration.ofMinutes(2));
        TestJobs.cancel(client, job);
    }

    private MigrationConfig config(String sourceDb, String targetDb, String collections) {
        return MigrationConfig.fromRaw(raw(sourceDb, targetDb, collections));
    }

    private Map<String, String> raw(String sourceDb, String targetDb, String collections) {
        Map<String, String> raw =
                TestJobs.options(SERVERS.sourceUri(), sourceDb, SERVERS.targetUri(), targetDb, stateDir);
        raw.put("sync.type", "full+incremental");
        raw.put("source.collections", collections);
        raw.put("target.existing-data", "drop");
        raw.put("snapshot.partition.size", "1000");
        raw.put("checkpoint.interval", "500 ms");
        return raw;
    }

    private static int port(String uri) {
        return new com.mongodb.ConnectionString(uri).getHosts().stream()
                .map(h -> Integer.parseInt(h.substring(h.lastIndexOf(':') + 1)))
                .findFirst()
                .orElseThrow();
    }

    /** Round {@code r} updates a slice of each collection, deletes one document and inserts new ones. */
    private static void change(MongoDatabase source, int round) {
        for (String collection : List.of("orders", "customers")) {
            source.getCollection(collection)
                    .updateMany(Filters.lt("_id", 50 * round), Updates.set("round", round));
            source.getCollection(collection).deleteOne(Filters.eq("_id", 500 + round));
            TestData.insertNumbered(source, collection, 10_000 + 100 * round, 50);
        }
    }

    private static void awaitSnapshotDone(JobID job, int collections) throws InterruptedException {
        TestJobs.await(
                "the snapshot to finish",
                Duration.ofMinutes(2),
                () -> TestJobs.sum(REPORTER, job, "collectionsFinished") == collections);
    }
}
