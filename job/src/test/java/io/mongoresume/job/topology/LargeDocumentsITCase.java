package io.mongoresume.job.topology;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.precheck.PrecheckCommand;
import io.mongoresume.job.testutils.CollectionDiff;
import io.mongoresume.job.testutils.CommandRun;
import io.mongoresume.job.testutils.Migration;
import io.mongoresume.job.testutils.MigrationCluster;
import io.mongoresume.job.testutils.TestJobs;
import io.mongoresume.job.verify.VerifyCommand;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three documents near the 16 MB limit next to each other among 2,000 small ones: together they are
 * more than one reply may carry (the driver refuses replies above 48 MB), while the collection's
 * average says a batch of the fetch size fits easily. A full job copies the collection exactly, and
 * {@code verify} finds it equal and names a planted difference, and {@code precheck} samples it. On
 * the embedded server, which puts a whole cursor batch into one reply, this takes the readers'
 * smaller-batch fallback; a real mongod caps its batches at 16 MiB.
 */
class LargeDocumentsITCase {

    private static final String COLLECTION = "mixed";
    private static final int DOCUMENTS = 2000;

    /** 15.5 MiB of payload each. */
    private static final int HUGE_CHARS = 31 << 19;

    @RegisterExtension static final MigrationCluster CLUSTER = MigrationCluster.of(1, 2);
    private static String sourceDb;

    @TempDir Path stateDir;

    @BeforeAll
    static void seed() {
        sourceDb = MongoTestServer.freshDatabaseName("large");
        MongoCollection<Document> mixed =
                CLUSTER.servers().sourceClient().getDatabase(sourceDb).getCollection(COLLECTION);
        String huge = "x".repeat(HUGE_CHARS);
        List<Document> small = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            if (isHuge(i)) {
                mixed.insertOne(new Document("_id", i).append("p", huge));
            } else {
                small.add(new Document("_id", i).append("p", "small-" + i).append("n", (long) i));
            }
        }
        mixed.insertMany(small);
    }

    private static boolean isHuge(int id) {
        return id >= 1000 && id < 1003;
    }

    @Test
    void aFullJobCopiesDocumentsNearTheSizeLimitExactlyAndVerifyAgrees(
            @InjectClusterClient ClusterClient<?> client) throws Exception {
        Migration migration =
                CLUSTER.migration(sourceDb, MongoTestServer.freshDatabaseName("large_t"));
        String targetDb = migration.targetDb();
        MigrationConfig config = migration.options().set("snapshot.partition.size", "700").config();
        JobID job = TestJobs.submit(client, config, null);
        TestJobs.awaitTermination(client, job, Duration.ofMinutes(3));

        CollectionDiff diff = migration.diff(COLLECTION);
        assertThat(diff.isEqual()).as(diff.toString()).isTrue();
        assertThat(diff.targetCount).isEqualTo(DOCUMENTS);

        CommandRun equal = verify(targetDb);
        assertThat(equal.exit()).as(equal.out() + equal.err()).isZero();
        assertThat(equal.out())
                .contains("OK mixed: source 2000, target 2000 documents")
                .contains("EQUAL:");

        MongoCollection<Document> copied = migration.target().getCollection(COLLECTION);
        copied.updateOne(Filters.eq("_id", 1001), Updates.set("p", "no longer huge"));
        copied.deleteOne(Filters.eq("_id", 5));
        CommandRun different = verify(targetDb);
        assertThat(different.exit()).as(different.out() + different.err()).isEqualTo(1);
        assertThat(different.out())
                .contains("1 missing, 0 extra, 1 different")
                .contains("  missing on target (1): 5")
                .contains("  different (1): 1001");
    }

    @Test
    void precheckSamplesDocumentsNearTheSizeLimit() throws Exception {
        Path file = jobFile(MongoTestServer.freshDatabaseName("large_p"));
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new PrecheckCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        // The whole collection: the three huge documents are in the sample for sure.
        int exit =
                cli.execute(
                        "--config",
                        file.toString(),
                        "--set",
                        "sync.type=full",
                        "--sample-size",
                        "2000");
        System.out.println(out);
        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString())
                .contains("PASS data model mixed: ")
                .contains("n: long, p: string")
                .containsPattern(
                        "PASS collection mixed: .*; average document \\d+ bytes \\(.*\\): cursor batches of \\d+ documents");
    }

    private Path jobFile(String targetDb) throws Exception {
        Path file = stateDir.resolve("job-" + targetDb + ".yaml");
        Files.writeString(
                file,
                "source.uri: \""
                        + CLUSTER.servers().sourceUri()
                        + "\"\nsource.database: "
                        + sourceDb
                        + "\ntarget.uri: \""
                        + CLUSTER.servers().targetUri()
                        + "\"\ntarget.database: "
                        + targetDb
                        + "\n");
        return file;
    }

    private CommandRun verify(String targetDb) throws Exception {
        CommandRun run =
                CommandRun.of(new VerifyCommand(), "--config", jobFile(targetDb).toString());
        System.out.println(run.out() + "" + run.err());
        return run;
    }
}
