package io.mongoresume.job.convergence;

import com.mongodb.client.MongoDatabase;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.bson.Document;
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
import io.mongoresume.job.testutils.TestJobs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ddl.enabled with a regex selection: a collection created while the job runs is followed without a restart
 * and appears in the target; a dropped collection disappears from the target; a re-created one comes back.
 */
class DdlITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @RegisterExtension static final ServerPair SERVERS = new ServerPair();

    @TempDir Path stateDir;

    @Test
    void createdCollectionsAppearAndDroppedOnesDisappearWithoutARestart(
            @InjectClusterClient ClusterClient<?> client) throws Exception {
        String sourceDb = MongoTestServer.freshDatabaseName("ddl");
        String targetDb = sourceDb + "_copy";
        MongoDatabase src = SERVERS.sourceClient().getDatabase(sourceDb);
        MongoDatabase dst = SERVERS.targetClient().getDatabase(targetDb);
        insert(src, "kept", 0, 200);
        insert(src, "dropped", 0, 200);

        Map<String, String> raw = TestJobs.options(SERVERS.sourceUri(), sourceDb, SERVERS.targetUri(), targetDb, stateDir);
        raw.put("sync.type", "full+incremental");
        raw.put("source.collection-regex", "kept|dropped|created");
        raw.put("ddl.enabled", "true");
        raw.put("target.writers", "1");
        raw.put("cdc.discovery-interval", "300 ms");
        MigrationConfig config = MigrationConfig.fromRaw(raw);
        JobID job = TestJobs.submit(client, config, null);

        TestJobs.await("the snapshot in the target", Duration.ofMinutes(2),
                () -> dst.getCollection("kept").countDocuments() == 200
                        && dst.getCollection("dropped").countDocuments() == 200);

        insert(src, "created", 0, 50);
        src.getCollection("dropped").drop();
        insert(src, "ignored_by_regex", 0, 5);
        TestJobs.await("the new collection copied and the dropped one gone", Duration.ofMinutes(1),
                () -> dst.getCollection("created").countDocuments() == 50
                        && !collections(dst).contains("dropped"));

        insert(src, "dropped", 1000, 10);
        insert(src, "kept", 1000, 10);
        TestJobs.await("the re-created collection back", Duration.ofMinutes(1),
                () -> dst.getCollection("dropped").countDocuments() == 10
                        && dst.getCollection("kept").countDocuments() == 210);
        TestJobs.cancel(client, job);

        for (String collection : List.of("kept", "created", "dropped")) {
            CollectionDiff diff = CollectionDiff.ofReplacedDocuments(src, dst, collection);
            assertThat(diff.isEqual()).as(diff.toString()).isTrue();
        }
        assertThat(collections(dst)).doesNotContain("ignored_by_regex");
    }

    private static void insert(MongoDatabase db, String collection, int from, int count) {
        List<Document> docs = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            docs.add(new Document("_id", i).append("collection", collection).append("n", i));
        }
        db.getCollection(collection).insertMany(docs);
    }

    private static List<String> collections(MongoDatabase db) {
        return db.listCollectionNames().into(new ArrayList<>());
    }
}
