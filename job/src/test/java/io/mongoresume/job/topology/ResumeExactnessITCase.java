package io.mongoresume.job.topology;

import com.mongodb.client.MongoDatabase;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectClusterClient;
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

/**
 * The breakpoint promise: stop a 200k-document copy with a savepoint about half way, resume from it, and the
 * target equals the source while no document emitted before the savepoint is emitted again and finished
 * splits are not read again. The proof is in the job's own metrics, summed over both runs.
 */
class ResumeExactnessITCase {

    private static final int DOCUMENTS = 200_000;
    private static final int READERS = 4;
    private static final int BATCH_READ_LIMIT = 3000;

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(READERS)
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .build());

    @RegisterExtension static final ServerPair SERVERS = new ServerPair();
    private static String sourceDb;

    @TempDir Path stateDir;

    @BeforeAll
    static void seed() {
        sourceDb = MongoTestServer.freshDatabaseName("resume");
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            batch.add(
                    new Document("_id", (long) i)
                            .append("name", "customer " + i)
                            .append("tags", List.of("a" + (i % 7), "b" + (i % 11)))
                            .append("address", new Document("city", "C" + (i % 97)).append("zip", i % 100000)));
            if (batch.size() == 5000) {
                SERVERS.sourceClient().getDatabase(sourceDb).getCollection("orders").insertMany(batch);
                batch.clear();
            }
        }
    }

    @Test
    void stopAtHalfAndResumeCopiesNothingTwice(@InjectClusterClient ClusterClient<?> client)
            throws Exception {
        String targetDb = MongoTestServer.freshDatabaseName("resume_target");
        Map<String, String> raw = TestJobs.options(SERVERS.sourceUri(), sourceDb, SERVERS.targetUri(), targetDb, stateDir);
        raw.put("snapshot.partition.size", "25000");
        raw.put("snapshot.readers", String.valueOf(READERS));
        raw.put("snapshot.batch-read-limit", String.valueOf(BATCH_READ_LIMIT));
        raw.put("target.writers", String.valueOf(READERS));
        MigrationConfig config = MigrationConfig.fromRaw(raw);
        MongoDatabase targetDatabase = SERVERS.targetClient().getDatabase(targetDb);

        JobID first = TestJobs.submit(client, config, null);
        TestJobs.await(
                "about half of the documents in the target",
                Duration.ofMinutes(3),
                () -> targetDatabase.getCollection("orders").estimatedDocumentCount() >= DOCUMENTS * 0.4);
        String savepoint = TestJobs.stopWithSavepoint(client, first, stateDir.resolve("savepoints"));
        TestJobs.awaitTermination(client, first, Duration.ofMinutes(1));
        long emittedBefore = TestJobs.sum(REPORTER, first, "documentsEmitted");
        long readBefore = TestJobs.sum(REPORTER, first, "documentsRead");
        long writtenBefore = targetDatabase.getCollection("orders").countDocuments();
        assertThat(emittedBefore).as("stopped mid-way").isBetween(1L, DOCUMENTS - 1L);

        JobID second = TestJobs.submit(client, config, savepoint);
        TestJobs.awaitTermination(client, second, Duration.ofMinutes(3));
        long emittedAfter = TestJobs.sum(REPORTER, second, "documentsEmitted");
        long readAfter = TestJobs.sum(REPORTER, second, "documentsRead");
        long refetched = TestJobs.sum(REPORTER, second, "documentsRefetched");

        System.out.printf(
                "resume figures: emitted before=%d (read %d, in target %d), emitted after=%d, read after=%d,"
                        + " re-fetched=%d, total emitted=%d of %d%n",
                emittedBefore, readBefore, writtenBefore, emittedAfter, readAfter, refetched,
                emittedBefore + emittedAfter, DOCUMENTS);

        CollectionDiff diff =
                CollectionDiff.of(SERVERS.sourceClient().getDatabase(sourceDb), targetDatabase, "orders");
        assertThat(diff.isEqual()).as(diff.toString()).isTrue();
        assertThat(emittedBefore + emittedAfter)
                .as("no document emitted before the savepoint is emitted again")
                .isEqualTo(DOCUMENTS);
        assertThat(refetched)
                .as("re-fetched: read before the savepoint but not emitted")
                .isLessThanOrEqualTo((long) READERS * BATCH_READ_LIMIT);
        assertThat(readAfter)
                .as("finished splits and emitted documents are not read again: the resumed run reads"
                        + " exactly what was not emitted before (re-fetched documents among them)")
                .isEqualTo(DOCUMENTS - emittedBefore);
        assertThat(readBefore + readAfter - DOCUMENTS)
                .as("reads wasted by the stop: fetched before the savepoint, not emitted, fetched again")
                .isGreaterThanOrEqualTo(refetched)
                .isLessThanOrEqualTo((long) READERS * BATCH_READ_LIMIT);
    }
}
