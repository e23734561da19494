package io.mongoresume.job.convergence;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.mongoresume.connectors.testutils.DelayingProxy;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.config.SyncType;
import io.mongoresume.job.demo.WorkloadGenerator;
import io.mongoresume.job.demo.WorkloadStats;
import io.mongoresume.job.testutils.JobOptions;
import io.mongoresume.job.testutils.Migration;
import io.mongoresume.job.testutils.MigrationCluster;
import io.mongoresume.job.testutils.TestData;
import io.mongoresume.job.testutils.TestJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code target.existing-data: drop} clears the target once, when the migration first starts, and
 * never again: not on a resume (from a savepoint or a retained checkpoint) after the snapshot had
 * finished, and not after changes of a collection were already written to the target.
 */
class TargetPreparationITCase {

    @RegisterExtension static final MigrationCluster CLUSTER = MigrationCluster.of(1, 4);

    /**
     * Seen on main at 7eef506: the resume dropped the target again and left only the ~900 documents
     * changed since, 19 500 of 20 400 missing.
     */
    @Test
    void aResumeAfterTheSnapshotFinishedNeverDropsTheTargetAgain(
            @InjectClusterClient ClusterClient<?> client, Migration migration) throws Exception {
        TestData.insertNumbered(migration.source(), "orders", 0, 4000);
        TestData.insertNumbered(migration.source(), "customers", 0, 1000);
        // Data of an earlier migration that the first start must drop.
        TestData.insertNumbered(migration.target(), "orders", 100_000, 300);
        MigrationConfig config = options(migration, "orders;customers").config();

        JobID first = TestJobs.submit(client, config, null);
        CLUSTER.awaitSnapshotFinished(first, 2, Duration.ofMinutes(2));
        change(migration.source(), 1);
        String savepoint = TestJobs.stopAndAwait(client, first, migration.stateDir().resolve("sp"));
        change(migration.source(), 2);

        JobID second = TestJobs.submit(client, config, savepoint);
        migration.awaitEqual(List.of("orders", "customers"), Duration.ofMinutes(2));
        change(migration.source(), 3);
        migration.awaitEqual(List.of("orders", "customers"), Duration.ofMinutes(2));
        TestJobs.cancel(client, second);

        // A retained checkpoint of the resumed job is a restore path too.
        change(migration.source(), 4);
        String checkpoint =
                TestJobs.latestRetainedCheckpoint(
                        migration.stateDir().resolve("checkpoints"), second);
        JobID third = TestJobs.submit(client, config, checkpoint);
        migration.awaitEqual(List.of("orders", "customers"), Duration.ofMinutes(2));
        TestJobs.cancel(client, third);
    }

    /**
     * The change streams start before the snapshot; with {@code drop} a change written to the
     * target before its collection was dropped went with it (the old enumerator prepared each
     * collection only when it got to partitioning it), and the merge then dropped that document's
     * snapshot row too.
     */
    @Test
    void changesAreNotWrittenBeforeTheirCollectionIsPrepared(
            @InjectClusterClient ClusterClient<?> client) throws Exception {
        // A target some milliseconds away: preparing 16 collections then takes seconds, long enough
        // for the
        // change streams to write first if nothing holds them back.
        try (DelayingProxy proxy = new DelayingProxy(port(CLUSTER.servers().targetUri()))) {
            proxy.setReplyDelayMillis(40);
            changesAreNotWrittenBeforeTheirCollectionIsPrepared(
                    client, "mongodb://127.0.0.1:" + proxy.port() + "/?directConnection=true");
        }
    }

    private void changesAreNotWrittenBeforeTheirCollectionIsPrepared(
            ClusterClient<?> client, String targetUri) throws Exception {
        Migration migration = CLUSTER.migration("prep_order");
        List<String> collections = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String name = String.format("c%02d", i);
            collections.add(name);
            TestData.insertNumbered(migration.source(), name, 0, 300);
            TestData.insertNumbered(migration.target(), name, 50_000, 20);
        }
        WorkloadGenerator workload =
                WorkloadGenerator.builder()
                        .uri(CLUSTER.servers().sourceUri())
                        .database(migration.sourceDb())
                        .collections(collections)
                        .opsPerSecond(300)
                        .seed(13)
                        .build();
        workload.start();
        MigrationConfig config =
                options(migration, String.join(";", collections))
                        .set("target.uri", targetUri)
                        .config();
        JobID job = TestJobs.submit(client, config, null);
        CLUSTER.awaitSnapshotFinished(job, collections.size(), Duration.ofMinutes(2));
        Thread.sleep(1000);
        WorkloadStats stats = workload.stop();
        assertThat(stats.totalOperations()).isGreaterThan(100);
        migration.awaitEqual(collections, Duration.ofMinutes(2));
        TestJobs.cancel(client, job);
    }

    private static JobOptions options(Migration migration, String collections) {
        return migration
                .options()
                .sync(SyncType.FULL_INCREMENTAL)
                .collections(collections)
                .set("target.existing-data", "drop")
                .set("snapshot.partition.size", "1000")
                .checkpointInterval("500 ms");
    }

    private static int port(String uri) {
        return new com.mongodb.ConnectionString(uri)
                .getHosts().stream()
                        .map(h -> Integer.parseInt(h.substring(h.lastIndexOf(':') + 1)))
                        .findFirst()
                        .orElseThrow();
    }

    /**
     * Round {@code r} updates a slice of each collection, deletes one document and inserts new
     * ones.
     */
    private static void change(MongoDatabase source, int round) {
        for (String collection : List.of("orders", "customers")) {
            source.getCollection(collection)
                    .updateMany(Filters.lt("_id", 50 * round), Updates.set("round", round));
            source.getCollection(collection).deleteOne(Filters.eq("_id", 500 + round));
            TestData.insertNumbered(source, collection, 10_000 + 100 * round, 50);
        }
    }
}
