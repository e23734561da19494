package io.mongoresume.job.topology;

import com.mongodb.client.MongoDatabase;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
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

/** A TaskManager dies mid-snapshot; Flink restores from the last checkpoint and the target converges. */
class TaskManagerFailoverITCase {

    private static final int DOCUMENTS = 100_000;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(2)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @RegisterExtension static final ServerPair SERVERS = new ServerPair();
    private static String sourceDb;

    @TempDir Path stateDir;

    @BeforeAll
    static void seed() {
        sourceDb = MongoTestServer.freshDatabaseName("failover");
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            batch.add(new Document("_id", "id-" + String.format("%07d", i)).append("v", i));
            if (batch.size() == 5000) {
                SERVERS.sourceClient().getDatabase(sourceDb).getCollection("items").insertMany(batch);
                batch.clear();
            }
        }
    }

    @Test
    void targetConvergesAfterATaskManagerDiesMidSnapshot(
            @InjectClusterClient ClusterClient<?> client, @InjectMiniCluster MiniCluster miniCluster)
            throws Exception {
        String targetDb = MongoTestServer.freshDatabaseName("failover_target");
        Map<String, String> raw = TestJobs.options(SERVERS.sourceUri(), sourceDb, SERVERS.targetUri(), targetDb, stateDir);
        raw.put("snapshot.partition.strategy", "min-max");
        raw.put("snapshot.partition.count", "8");
        raw.put("checkpoint.interval", "500 ms");
        raw.put("flink.restart-strategy.type", "fixed-delay");
        raw.put("flink.restart-strategy.fixed-delay.attempts", "5");
        raw.put("flink.restart-strategy.fixed-delay.delay", "1 s");
        MigrationConfig config = MigrationConfig.fromRaw(raw);
        MongoDatabase targetDatabase = SERVERS.targetClient().getDatabase(targetDb);

        JobID job = TestJobs.submit(client, config, null);
        TestJobs.await(
                "a third of the documents in the target",
                Duration.ofMinutes(3),
                () -> targetDatabase.getCollection("items").estimatedDocumentCount() >= DOCUMENTS / 3);
        miniCluster.terminateTaskManager(0).get();
        miniCluster.startTaskManager();

        assertThat(TestJobs.awaitTermination(client, job, Duration.ofMinutes(3))).isEqualTo(JobStatus.FINISHED);
        CollectionDiff diff = CollectionDiff.of(SERVERS.sourceClient().getDatabase(sourceDb), targetDatabase, "items");
        assertThat(diff.isEqual()).as(diff.toString()).isTrue();
    }
}
