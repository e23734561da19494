package io.mongoresume.job.topology;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;

import com.mongodb.client.MongoDatabase;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.testutils.CollectionDiff;
import io.mongoresume.job.testutils.Migration;
import io.mongoresume.job.testutils.MigrationCluster;
import io.mongoresume.job.testutils.ResumeFigures;
import io.mongoresume.job.testutils.TestData;
import io.mongoresume.job.testutils.TestJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The breakpoint promise: stop a 200k-document copy with a savepoint about half way, resume from
 * it, and the target equals the source while no document emitted before the savepoint is emitted
 * again and finished splits are not read again. The proof is in the job's own metrics, summed over
 * both runs.
 */
class ResumeExactnessITCase {

    private static final int DOCUMENTS = 200_000;
    private static final int READERS = 4;
    private static final int BATCH_READ_LIMIT = 3000;

    @RegisterExtension static final MigrationCluster CLUSTER = MigrationCluster.of(1, READERS);

    @Test
    void stopAtHalfAndResumeCopiesNothingTwice(
            @InjectClusterClient ClusterClient<?> client, Migration migration) throws Exception {
        TestData.insertCustomers(migration.source().getCollection("orders"), DOCUMENTS);
        MigrationConfig config =
                migration
                        .options()
                        .set("snapshot.partition.size", "25000")
                        // The test counts emissions: a read that times out on a loaded machine
                        // fails over and re-emits since the last checkpoint, which is correct but
                        // not what this test measures.
                        .set("source.timeout", "60 s")
                        .set("snapshot.readers", String.valueOf(READERS))
                        .set("snapshot.batch-read-limit", String.valueOf(BATCH_READ_LIMIT))
                        .set("target.writers", String.valueOf(READERS))
                        .config();
        MongoDatabase targetDatabase = migration.target();

        JobID first = TestJobs.submit(client, config, null);
        TestJobs.await(
                "about half of the documents in the target",
                Duration.ofMinutes(3),
                () ->
                        targetDatabase.getCollection("orders").estimatedDocumentCount()
                                >= DOCUMENTS * 0.4);
        String savepoint =
                TestJobs.stopAndAwait(client, first, migration.stateDir().resolve("savepoints"));
        ResumeFigures before = ResumeFigures.before(CLUSTER, first);
        long writtenBefore = targetDatabase.getCollection("orders").countDocuments();
        assertThat(before.emittedBefore()).as("stopped mid-way").isBetween(1L, DOCUMENTS - 1L);

        JobID second = TestJobs.submit(client, config, savepoint);
        TestJobs.awaitTermination(client, second, Duration.ofMinutes(3));
        ResumeFigures figures = before.after(CLUSTER, second);

        System.out.printf(
                "resume figures: emitted before=%d (read %d, in target %d), emitted after=%d, read after=%d,"
                        + " re-fetched=%d, total emitted=%d of %d%n",
                figures.emittedBefore(),
                figures.readBefore(),
                writtenBefore,
                figures.emittedAfter(),
                figures.readAfter(),
                figures.refetched(),
                figures.emittedBefore() + figures.emittedAfter(),
                DOCUMENTS);

        CollectionDiff diff = migration.diff("orders");
        assertThat(diff.isEqual()).as(diff.toString()).isTrue();
        figures.assertExact(DOCUMENTS, (long) READERS * BATCH_READ_LIMIT);
    }
}
