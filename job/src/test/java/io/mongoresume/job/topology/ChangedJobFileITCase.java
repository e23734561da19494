package io.mongoresume.job.topology;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.util.ExceptionUtils;

import com.mongodb.client.MongoDatabase;
import io.mongoresume.job.config.SyncType;
import io.mongoresume.job.testutils.CollectionDiff;
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
 * A resume whose job file changed what decides which documents go where is refused before anything
 * is written, naming the key and both values; the job fails at once instead of restarting. Seen on
 * main at 7eef506: a changed source.database was named in the header while data kept coming from
 * the old one without a word (a collection added to source.collections, which was never read then,
 * is copied now: SelectionChangeAtResumeITCase).
 */
class ChangedJobFileITCase {

    private static final List<String> COLLECTIONS = List.of("a", "b", "c");

    @RegisterExtension static final MigrationCluster CLUSTER = MigrationCluster.of(1, 4);

    @Test
    void changedSelectionOrDatabaseIsRefusedAndTheOriginalFileResumes(
            @InjectClusterClient ClusterClient<?> client, Migration migration) throws Exception {
        String sourceDb = migration.sourceDb();
        String otherDb = sourceDb + "_other";
        String targetDb = migration.targetDb();
        MongoDatabase source = migration.source();
        for (String c : List.of("a", "b", "c", "d")) {
            TestData.insertNumbered(source, c, 0, 500);
            TestData.insertNumbered(
                    CLUSTER.servers().sourceClient().getDatabase(otherDb), c, 0, 10);
        }
        JobOptions options =
                migration
                        .options()
                        .sync(SyncType.FULL_INCREMENTAL)
                        .collections("a;b;c")
                        .checkpointInterval("500 ms")
                        .fixedDelayRestarts(10, "500 ms");

        JobID first = TestJobs.submit(client, options.config(), null);
        CLUSTER.awaitSnapshotFinished(first, COLLECTIONS.size(), Duration.ofMinutes(2));
        String savepoint = TestJobs.stopAndAwait(client, first, migration.stateDir().resolve("sp"));
        TestData.insertNumbered(
                source, "a", 1000,
                100); // changes while stopped: a refused resume must not write them
        MongoDatabase target = migration.target();
        long before = target.getCollection("a").countDocuments();

        JobOptions mapped =
                options.copy().set("target.namespace-map", sourceDb + ".a -> " + targetDb + ".a2");
        assertThat(refusal(client, mapped, savepoint))
                .contains("Refusing to resume")
                .contains(
                        "target.namespace-map: savepoint '(none)', job file '"
                                + sourceDb
                                + ".a -> "
                                + targetDb
                                + ".a2'")
                .contains("Nothing was written");

        JobOptions otherSource =
                options.copy().set("source.database", otherDb).set("target.database", targetDb);
        assertThat(refusal(client, otherSource, savepoint))
                .contains(
                        "source.database: savepoint '"
                                + sourceDb
                                + "', job file '"
                                + otherDb
                                + "'");

        JobOptions otherTarget =
                options.copy()
                        .set("target.database", targetDb + "2")
                        .set("target.writers", "1"); // honoured, not refused
        assertThat(refusal(client, otherTarget, savepoint))
                .contains(
                        "target.database: savepoint '"
                                + targetDb
                                + "', job file '"
                                + targetDb
                                + "2'")
                .doesNotContain("target.writers");
        assertThat(target.getCollection("a").countDocuments())
                .as("nothing was written")
                .isEqualTo(before);
        assertThat(
                        CLUSTER.servers()
                                .targetClient()
                                .getDatabase(targetDb + "2")
                                .listCollectionNames()
                                .first())
                .isNull();

        JobOptions honoured =
                options.copy().set("target.writers", "1").set("snapshot.readers", "1");
        JobID resumed = TestJobs.submit(client, honoured.config(), savepoint);
        List<CollectionDiff> diffs = new ArrayList<>();
        TestJobs.await(
                "the target to equal the source",
                Duration.ofMinutes(2),
                () -> {
                    diffs.clear();
                    COLLECTIONS.forEach(c -> diffs.add(CollectionDiff.of(source, target, c)));
                    return diffs.stream().allMatch(CollectionDiff::isEqual);
                });
        TestJobs.cancel(client, resumed);
    }

    /** Submits a resume that must fail at once (no restart); returns the failure's messages. */
    private static String refusal(ClusterClient<?> client, JobOptions options, String savepoint)
            throws Exception {
        JobID job = TestJobs.submit(client, options.config(), savepoint);
        Throwable failure = TestJobs.awaitFailure(client, job, Duration.ofSeconds(60));
        assertThat(CLUSTER.byIdentifier(job, "numRestarts"))
                .as("refused without a restart")
                .isNotEmpty()
                .allSatisfy((id, restarts) -> assertThat(restarts).isZero());
        return ExceptionUtils.stringifyException(failure);
    }
}
