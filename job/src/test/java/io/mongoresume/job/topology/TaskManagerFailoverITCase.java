package io.mongoresume.job.topology;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.InjectMiniCluster;

import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.testutils.CollectionDiff;
import io.mongoresume.job.testutils.Migration;
import io.mongoresume.job.testutils.MigrationCluster;
import io.mongoresume.job.testutils.TestData;
import io.mongoresume.job.testutils.TestJobs;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TaskManager dies mid-snapshot; Flink restores from the last checkpoint and the target
 * converges.
 */
class TaskManagerFailoverITCase {

    private static final int DOCUMENTS = 100_000;

    @RegisterExtension static final MigrationCluster CLUSTER = MigrationCluster.of(2, 2);

    @Test
    void targetConvergesAfterATaskManagerDiesMidSnapshot(
            @InjectClusterClient ClusterClient<?> client,
            @InjectMiniCluster MiniCluster miniCluster,
            Migration migration)
            throws Exception {
        TestData.insertInBatches(
                migration.source().getCollection("items"),
                DOCUMENTS,
                i -> new Document("_id", "id-" + String.format("%07d", i)).append("v", i));
        MigrationConfig config =
                migration
                        .options()
                        .set("snapshot.partition.strategy", "min-max")
                        .set("snapshot.partition.count", "8")
                        .checkpointInterval("500 ms")
                        .fixedDelayRestarts(5, "1 s")
                        .config();

        JobID job = TestJobs.submit(client, config, null);
        TestJobs.await(
                "a third of the documents in the target",
                Duration.ofMinutes(3),
                () ->
                        migration.target().getCollection("items").estimatedDocumentCount()
                                >= DOCUMENTS / 3);
        miniCluster.terminateTaskManager(0).get();
        miniCluster.startTaskManager();

        assertThat(TestJobs.awaitTermination(client, job, Duration.ofMinutes(3)))
                .isEqualTo(JobStatus.FINISHED);
        CollectionDiff diff = migration.diff("items");
        assertThat(diff.isEqual()).as(diff.toString()).isTrue();
    }
}
