package io.mongoresume.job.convergence;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.mongoresume.connectors.cdc.reader.ChangeStreamSplitReader;
import io.mongoresume.connectors.testutils.LogCapture;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.config.SyncType;
import io.mongoresume.job.testutils.CollectionDiff;
import io.mongoresume.job.testutils.Migration;
import io.mongoresume.job.testutils.MigrationCluster;
import io.mongoresume.job.testutils.TestJobs;
import org.apache.logging.log4j.Level;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An incremental job over several updates in a row of a document near 16 MB. On the embedded server
 * a batch of their events is longer than the driver accepts (48 MB: that server puts a whole batch
 * into one reply and its update events carry the update next to the document), so the stream reads
 * them again in smaller batches; the target must still end equal to the source. Against a real
 * MongoDB the batches stay below 16 MiB, and the test checks the plain path.
 */
class LargeChangeEventsITCase {

    private static final int MB15 = 15_000_000;

    @RegisterExtension static final MigrationCluster CLUSTER = MigrationCluster.of(1, 2);

    @Test
    void updatesNearTheDocumentLimitReachTheTarget(
            @InjectClusterClient ClusterClient<?> client, Migration migration) throws Exception {
        MongoDatabase src = migration.source();
        // The source's oplog must begin before cdc.start-at (a start before it is refused): write
        // first.
        src.getCollection("before").insertOne(new Document("_id", 0));
        Thread.sleep(1100);
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        MongoCollection<Document> big = src.getCollection("big");
        big.insertOne(new Document("_id", 1).append("n", 0));
        // All written before the job starts, so the stream's first batch holds them all.
        for (int i = 1; i <= 4; i++) {
            String blob = String.valueOf((char) ('a' + i)).repeat(MB15);
            big.updateOne(
                    Filters.eq("_id", 1),
                    Updates.combine(Updates.set("n", i), Updates.set("blob", blob)));
            big.insertOne(new Document("_id", "small-" + i));
        }

        MigrationConfig config =
                migration
                        .options()
                        .sync(SyncType.INCREMENTAL)
                        .collections("big")
                        .set("cdc.start-at", start.toString())
                        .config();
        MongoDatabase dst = migration.target();
        try (LogCapture log = LogCapture.of(ChangeStreamSplitReader.class)) {
            JobID job = TestJobs.submit(client, config, null);
            TestJobs.await(
                    "every change in the target",
                    Duration.ofMinutes(1),
                    () ->
                            dst.getCollection("big").countDocuments() == 5
                                    && dst.getCollection("big").countDocuments(Filters.eq("n", 4))
                                            == 1);
            TestJobs.cancel(client, job);
            if (CLUSTER.servers().sourceIsEmbedded()) {
                assertThat(log.lines(Level.INFO))
                        .filteredOn(line -> line.message.contains("the driver refused"))
                        .as("the stream read the batch again in smaller ones")
                        .hasSize(1);
            }
        }
        CollectionDiff diff = CollectionDiff.ofReplacedDocuments(src, dst, "big");
        assertThat(diff.isEqual()).as(diff.toString()).isTrue();
    }
}
