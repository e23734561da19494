package io.mongoresume.job.convergence;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.mongoresume.connectors.testutils.DelayingProxy;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.config.SyncType;
import io.mongoresume.job.testutils.Migration;
import io.mongoresume.job.testutils.MigrationCluster;
import io.mongoresume.job.testutils.TestData;
import io.mongoresume.job.testutils.TestJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing arrives without its history: a collection that appears while the job runs or while it is
 * stopped (renamed into the selection, created and filled by a bulk load) is snapshotted like the
 * first ones and merged with its change stream, without a restart. Seen on main at 7eef506: a
 * collection renamed into the selection during the snapshot ended with 90 of its 100 000 documents
 * (those written after the rename).
 */
class DiscoveredCollectionsITCase {

    @RegisterExtension static final MigrationCluster CLUSTER = MigrationCluster.of(1, 4);

    @Test
    void collectionsRenamedIntoTheSelectionOrCreatedWhileStoppedAreCopiedWithTheirHistory(
            @InjectClusterClient ClusterClient<?> client, Migration migration) throws Exception {
        MongoDatabase source = migration.source();
        TestData.insertNumbered(source, "a", 0, 8000);
        TestData.insertNumbered(
                source, "stage_b", 0,
                3000); // not selected: renamed into the selection during the snapshot
        TestData.insertNumbered(source, "stage_c1", 0, 2000); // ... during change streaming
        TestData.insertNumbered(source, "stage_c2", 0, 1500); // ... while the job is stopped

        // A target some milliseconds away, so that the snapshot of a is still running at the first
        // rename.
        try (DelayingProxy proxy = DelayingProxy.inFrontOf(CLUSTER.servers().targetUri())) {
            proxy.setReplyDelayMillis(15);
            MigrationConfig config =
                    migration
                            .options()
                            .set("target.uri", proxy.uri())
                            .sync(SyncType.FULL_INCREMENTAL)
                            .set("source.collection-regex", "a|b|c[0-9]+")
                            .set("cdc.discovery-interval", "500 ms")
                            .set("snapshot.partition.size", "1000")
                            .set("snapshot.readers", "1")
                            .set("target.batch-size", "200")
                            .checkpointInterval("500 ms")
                            .config();

            JobID first = TestJobs.submit(client, config, null);
            TestJobs.await(
                    "the snapshot of a to be under way",
                    Duration.ofMinutes(1),
                    () -> migration.target().getCollection("a").estimatedDocumentCount() >= 500);
            assertThat(CLUSTER.sum(first, "collectionsFinished")).isZero();
            // Renamed into the selection mid-snapshot; written to right after, so that its change
            // events race
            // its snapshot rows.
            source.getCollection("stage_b")
                    .renameCollection(new MongoNamespace(migration.sourceDb(), "b"));
            source.getCollection("b").updateMany(Filters.lt("_id", 300), Updates.set("v", -1));
            source.getCollection("b")
                    .deleteMany(Filters.and(Filters.gte("_id", 300), Filters.lt("_id", 350)));
            TestData.insertNumbered(source, "b", 10_000, 100);
            migration.awaitEqual(List.of("a", "b"), Duration.ofMinutes(2));

            // Renamed in while the change streams run.
            source.getCollection("stage_c1")
                    .renameCollection(new MongoNamespace(migration.sourceDb(), "c1"));
            source.getCollection("c1").updateMany(Filters.lt("_id", 100), Updates.set("v", -2));
            migration.awaitEqual(List.of("a", "b", "c1"), Duration.ofMinutes(2));
            TestJobs.await(
                    "the merge to release the state of every finished collection",
                    Duration.ofMinutes(1),
                    () -> CLUSTER.sum(first, "keysInState") == 0);

            String savepoint =
                    TestJobs.stopAndAwait(client, first, migration.stateDir().resolve("sp"));

            // While stopped: one collection renamed in, one created and filled by a bulk load, more
            // changes.
            source.getCollection("stage_c2")
                    .renameCollection(new MongoNamespace(migration.sourceDb(), "c2"));
            TestData.insertNumbered(source, "c3", 0, 2500);
            source.getCollection("a").deleteMany(Filters.lt("_id", 100));
            JobID resumed = TestJobs.submit(client, config, savepoint);
            source.getCollection("c3").updateMany(Filters.lt("_id", 200), Updates.set("v", -3));
            migration.awaitEqual(List.of("a", "b", "c1", "c2", "c3"), Duration.ofMinutes(2));
            TestJobs.cancel(client, resumed);
        }
    }
}
