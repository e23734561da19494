package io.mongoresume.job.convergence;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;

import com.mongodb.client.MongoDatabase;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.config.SyncType;
import io.mongoresume.job.testutils.CollectionDiff;
import io.mongoresume.job.testutils.Migration;
import io.mongoresume.job.testutils.MigrationCluster;
import io.mongoresume.job.testutils.TestJobs;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ddl.enabled with a regex selection: a collection created while the job runs is followed without a
 * restart and appears in the target; a dropped collection disappears from the target; a re-created
 * one comes back.
 */
class DdlITCase {

    @RegisterExtension static final MigrationCluster CLUSTER = MigrationCluster.of(1, 2);

    @Test
    void createdCollectionsAppearAndDroppedOnesDisappearWithoutARestart(
            @InjectClusterClient ClusterClient<?> client, Migration migration) throws Exception {
        insert(migration.source(), "kept", 0, 200);
        insert(migration.source(), "dropped", 0, 200);

        MigrationConfig config =
                migration
                        .options()
                        .sync(SyncType.FULL_INCREMENTAL)
                        .set("source.collection-regex", "kept|dropped|created")
                        .set("ddl.enabled", "true")
                        .set("target.writers", "1")
                        .set("cdc.discovery-interval", "300 ms")
                        .config();
        JobID job = TestJobs.submit(client, config, null);
        MongoDatabase target = migration.target();

        TestJobs.await(
                "the snapshot in the target",
                Duration.ofMinutes(2),
                () -> count(target, "kept") == 200 && count(target, "dropped") == 200);

        insert(migration.source(), "created", 0, 50);
        migration.source().getCollection("dropped").drop();
        insert(migration.source(), "ignored_by_regex", 0, 5);
        TestJobs.await(
                "the new collection copied and the dropped one gone",
                Duration.ofMinutes(1),
                () -> count(target, "created") == 50 && !collections(target).contains("dropped"));

        insert(migration.source(), "dropped", 1000, 10);
        insert(migration.source(), "kept", 1000, 10);
        TestJobs.await(
                "the re-created collection back",
                Duration.ofMinutes(1),
                () -> count(target, "dropped") == 10 && count(target, "kept") == 210);
        TestJobs.cancel(client, job);

        for (String collection : List.of("kept", "created", "dropped")) {
            CollectionDiff diff =
                    CollectionDiff.ofReplacedDocuments(
                            migration.source(), migration.target(), collection);
            assertThat(diff.isEqual()).as(diff.toString()).isTrue();
        }
        assertThat(collections(migration.target())).doesNotContain("ignored_by_regex");
    }

    private static void insert(MongoDatabase db, String collection, int from, int count) {
        List<Document> docs = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            docs.add(new Document("_id", i).append("collection", collection).append("n", i));
        }
        db.getCollection(collection).insertMany(docs);
    }

    private static long count(MongoDatabase db, String collection) {
        return db.getCollection(collection).countDocuments();
    }

    private static List<String> collections(MongoDatabase db) {
        return db.listCollectionNames().into(new ArrayList<>());
    }
}
