package io.mongoresume.job.topology;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.mongoresume.job.config.SyncType;
import io.mongoresume.job.testutils.JobOptions;
import io.mongoresume.job.testutils.Migration;
import io.mongoresume.job.testutils.MigrationCluster;
import io.mongoresume.job.testutils.TestData;
import io.mongoresume.job.testutils.TestJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The selection changes at a resume: stopped mid-snapshot, the job resumes with two collections
 * added to source.collections and one left out. The kept collections continue from the breakpoint
 * and emit no document twice, the added ones are snapshotted once (with change streams that start
 * before them) and converge, and the one left out is no longer written while the merge releases the
 * state it held for it.
 */
class SelectionChangeAtResumeITCase {

    private static final int DOCUMENTS = 10_000;

    @RegisterExtension static final MigrationCluster CLUSTER = MigrationCluster.of(1, 4);

    @Test
    void addedCollectionsAreCopiedOnceAndARemovedOneStops(
            @InjectClusterClient ClusterClient<?> client, Migration migration) throws Exception {
        MongoDatabase source = migration.source();
        MongoDatabase target = migration.target();
        for (String c : List.of("a", "b", "c")) {
            TestData.insertNumbered(source, c, 0, DOCUMENTS);
        }
        JobOptions options =
                migration
                        .options()
                        .sync(SyncType.FULL_INCREMENTAL)
                        .collections("a;b;c")
                        .set("snapshot.partition.size", "1000")
                        .set("snapshot.batch-read-limit", "500")
                        .set("snapshot.readers", "2")
                        .checkpointInterval("500 ms");

        JobID first = TestJobs.submit(client, options.config(), null);
        TestJobs.await(
                "the snapshot under way",
                Duration.ofMinutes(2),
                () -> target.getCollection("a").estimatedDocumentCount() >= 1000);
        // Changes to b while its snapshot runs: the merge holds state for these keys.
        source.getCollection("b").updateMany(Filters.lt("_id", 3000), Updates.set("v", 1));
        Thread.sleep(1000);
        String savepoint = TestJobs.stopAndAwait(client, first, migration.stateDir().resolve("sp"));
        assertThat(CLUSTER.sum(first, "collectionsFinished"))
                .as("stopped mid-snapshot")
                .isLessThan(3);
        long emittedA = emitted(first, migration, "a");
        long emittedC = emitted(first, migration, "c");

        // While stopped: two collections to add, and changes the job must no longer copy.
        TestData.insertNumbered(source, "d", 0, 2000);
        TestData.insertNumbered(source, "e", 0, 1000);
        TestData.insertNumbered(source, "b", 900_000, 10);

        JobID second =
                TestJobs.submit(client, options.copy().collections("a;c;d;e").config(), savepoint);
        CLUSTER.awaitSnapshotFinished(second, 4, Duration.ofMinutes(2));
        assertThat(emittedA + emitted(second, migration, "a"))
                .as("a continued from the breakpoint: no document emitted twice")
                .isEqualTo(DOCUMENTS);
        assertThat(emittedC + emitted(second, migration, "c"))
                .as("c continued from the breakpoint: no document emitted twice")
                .isEqualTo(DOCUMENTS);
        assertThat(emitted(second, migration, "d")).as("d snapshotted once").isEqualTo(2000);
        assertThat(emitted(second, migration, "e")).as("e snapshotted once").isEqualTo(1000);
        assertThat(emitted(second, migration, "b")).as("b no longer read").isZero();

        long bLowAtTarget = target.getCollection("b").countDocuments(Filters.lt("_id", 10));
        // Changes after the snapshot, to kept, added and left-out collections.
        source.getCollection("a").deleteMany(Filters.lt("_id", 100));
        source.getCollection("d").updateMany(Filters.lt("_id", 500), Updates.set("v", 2));
        TestData.insertNumbered(source, "e", 5000, 50);
        source.getCollection("b").deleteMany(Filters.lt("_id", 10));
        migration.awaitEqual(List.of("a", "c", "d", "e"), Duration.ofMinutes(2));
        TestJobs.await(
                "the merge to release every key, those of b too",
                Duration.ofMinutes(1),
                () -> CLUSTER.sum(second, "keysInState") == 0);
        TestJobs.cancel(client, second);

        assertThat(target.getCollection("b").countDocuments(Filters.gte("_id", 900_000)))
                .as("inserted into b after it was left out")
                .isZero();
        assertThat(target.getCollection("b").countDocuments(Filters.lt("_id", 10)))
                .as("deleted from b after it was left out: still at the target")
                .isEqualTo(bLowAtTarget);
    }

    /** Snapshot rows of {@code collection} the job's readers emitted. */
    private static long emitted(JobID job, Migration migration, String collection) {
        String suffix = "." + migration.sourceDb() + "." + collection + ".documentsEmitted";
        long total = 0;
        for (Map.Entry<String, Long> e : CLUSTER.byIdentifier(job, "documentsEmitted").entrySet()) {
            if (e.getKey().endsWith(suffix)) {
                total += e.getValue();
            }
        }
        return total;
    }
}
