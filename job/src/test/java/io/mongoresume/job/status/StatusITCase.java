package io.mongoresume.job.status;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import com.mongodb.client.MongoClient;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.testutils.MiniClusters;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.connectors.testutils.Ports;
import io.mongoresume.job.config.JobConfigLoader;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.precheck.RestorePathCheck;
import io.mongoresume.job.testutils.CommandRun;
import io.mongoresume.job.testutils.TestJobs;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code status} against the REST API of a MiniCluster running the real job: it finds the job,
 * shows the per-collection progress from the enumerator (coordinator metrics) and readers, the last
 * checkpoint, and the change-stream lag of a full+incremental job, and after a stop-with-savepoint
 * the savepoint and the resume command; a finished snapshot (also after a resume, also of an empty
 * collection) as done; and, with no REST API left, the newest complete checkpoint and savepoint the
 * job left on disk.
 */
class StatusITCase {

    private static final int DOCS = 20_000;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.of(conf(), 1, 2);

    private static Configuration conf() {
        Configuration conf = new Configuration();
        // REST serves metrics from a cache refreshed every 10 s by default.
        conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(300));
        // ... and job details from a cache refreshed every 3 s.
        conf.set(WebOptions.REFRESH_INTERVAL, Duration.ofMillis(300));
        return conf;
    }

    @TempDir Path dir;

    /** A test that failed half-way leaves no job behind to hold a slot and outlive its servers. */
    @AfterEach
    void cancelJobsLeftRunning(@InjectClusterClient RestClusterClient<?> client) throws Exception {
        for (JobStatusMessage job : client.listJobs().get()) {
            if (!job.getJobState().isGloballyTerminalState()) {
                cancel(client, job.getJobId());
            }
        }
    }

    @Test
    void showsProgressCheckpointSavepointAndResumeCommand(
            @InjectClusterClient RestClusterClient<?> client) throws Exception {
        try (MongoTestServer source = MongoTestServer.source();
                MongoTestServer target = MongoTestServer.target()) {
            String db = ordersDatabase(source, "status", DOCS);
            // Slow on purpose (one reader, small queries) so the job is still running when status
            // looks.
            Map<String, String> raw =
                    TestJobs.options(source.uri(), db, target.uri(), db + "_t", dir);
            raw.put("source.collections", "orders");
            raw.put("sync.type", "full+incremental");
            raw.put("snapshot.readers", "1");
            raw.put("target.writers", "1");
            raw.put("snapshot.partition.size", "1000");
            raw.put("snapshot.batch-read-limit", "100");
            raw.put("snapshot.fetch-size", "50");
            JobID job = TestJobs.submit(client, MigrationConfig.fromRaw(raw), null);
            String rest = client.getWebInterfaceURL();

            String[] shown = new String[1];
            TestJobs.await(
                    "status with progress and a checkpoint",
                    Duration.ofSeconds(90),
                    () -> {
                        shown[0] = status(rest).out();
                        return shown[0].contains("Last checkpoint: #")
                                && shown[0].contains("docs read of ~")
                                && shown[0].contains("CDC lag ")
                                && shown[0].matches(
                                        "(?s).*orders +\\[#*-*\\] +\\d+%  \\d+/20 splits.*");
                    });
            System.out.println("STATUS (running):\n" + shown[0]);
            assertThat(shown[0])
                    .contains("Job " + job + " \"mongo-resume " + db + " -> " + db + "_t\" RUNNING")
                    .contains("written")
                    .contains("Last savepoint:  none")
                    .contains(
                            "Resume: no savepoint yet; stop with one: flink stop --savepointPath <dir> "
                                    + job);

            JsonNode json = new ObjectMapper().readTree(status(rest, "--json").out());
            assertThat(json.get("job").get("id").asText()).isEqualTo(job.toString());
            assertThat(json.get("collections").get(0).get("collection").asText())
                    .isEqualTo("orders");
            assertThat(json.get("collections").get(0).get("splitsTotal").asLong()).isEqualTo(20);
            assertThat(json.get("lastCheckpoint").get("external_path").asText()).contains("chk-");

            String savepoint = TestJobs.stopWithSavepoint(client, job, dir.resolve("savepoints"));
            CommandRun[] stopped = new CommandRun[1];
            TestJobs.await(
                    "status of the stopped job",
                    Duration.ofSeconds(30),
                    () -> {
                        stopped[0] = status(rest, "--job", job.toString(), "--config", "job.yaml");
                        return !stopped[0].out().contains("\" RUNNING");
                    });
            CommandRun after = stopped[0];
            System.out.println("STATUS (stopped):\n" + after.out());
            assertThat(after.exit()).isZero();
            String name = savepoint.substring(savepoint.lastIndexOf('/') + 1);
            assertThat(after.out())
                    .containsPattern("\" (FINISHED|CANCELED)")
                    .containsPattern("Last savepoint:  #\\d+ COMPLETED .*" + name)
                    .containsPattern(
                            "Resume: flink run -s \\S*"
                                    + name
                                    + " job/target/mongo-resume-flink.jar --config job.yaml");
        }
    }

    @Test
    void aFinishedSnapshotShowsEveryCollectionDoneAlsoAfterAResume(
            @InjectClusterClient RestClusterClient<?> client) throws Exception {
        try (MongoTestServer source = MongoTestServer.source();
                MongoTestServer target = MongoTestServer.target()) {
            String db = ordersDatabase(source, "status_done", 2000, "empty");
            MigrationConfig config = fullIncremental(source, target, db);
            String rest = client.getWebInterfaceURL();

            JobID first = TestJobs.submit(client, config, null);
            String shown = awaitFinishedSnapshot(rest, first, "orders", "empty");
            System.out.println("STATUS (snapshot finished):\n" + shown);
            assertThat(shown)
                    .containsPattern(doneLine("orders"))
                    .containsPattern(doneLine("empty"));

            String savepoint = TestJobs.stopWithSavepoint(client, first, dir.resolve("savepoints"));
            TestJobs.awaitTermination(client, first, Duration.ofSeconds(30));
            JobID resumed = TestJobs.submit(client, config, savepoint);
            shown = awaitFinishedSnapshot(rest, resumed, "orders", "empty");
            System.out.println("STATUS (resumed after the snapshot):\n" + shown);
            assertThat(shown)
                    .contains("Collections (snapshot finished):")
                    .containsPattern(doneLine("orders"))
                    .containsPattern(doneLine("empty"))
                    .doesNotContainPattern("  0/[1-9]\\d* splits");
            cancel(client, resumed);
        }
    }

    @Test
    void aJobAcrossDatabasesGroupsItsCollectionsByDatabase(
            @InjectClusterClient RestClusterClient<?> client) throws Exception {
        try (MongoTestServer source = MongoTestServer.source();
                MongoTestServer target = MongoTestServer.target()) {
            // Both databases have an "orders": only the grouping tells them apart.
            String shop = ordersDatabase(source, "status_shop", 1500, "empty");
            String crm = ordersDatabase(source, "status_crm", 700);
            // More databases than the sources' vertex names list: status learns the last ones
            // from the enumerator's per-database gauges.
            String eu = ordersDatabase(source, "status_eu", 100);
            String us = ordersDatabase(source, "status_us", 100);
            Map<String, String> raw =
                    TestJobs.options(source.uri(), shop, target.uri(), shop + "_t", dir);
            raw.remove("source.database");
            raw.remove("target.database");
            raw.put(
                    "source.namespaces",
                    shop + ".*;" + crm + ".orders;" + eu + ".orders;" + us + ".orders");
            raw.put(
                    "target.namespace-map",
                    shop + ".* -> " + shop + "_t.*;" + crm + ".* -> " + crm + "_t.*");
            raw.put("sync.type", "full+incremental");
            raw.put("snapshot.readers", "1");
            raw.put("target.writers", "1");
            raw.put("snapshot.partition.size", "500");
            JobID job = TestJobs.submit(client, MigrationConfig.fromRaw(raw), null);
            String rest = client.getWebInterfaceURL();
            FlinkRest api = new FlinkRest(rest, Duration.ofSeconds(5));
            String[] shown = new String[1];
            TestJobs.await(
                    "a finished snapshot of both databases",
                    Duration.ofSeconds(90),
                    () -> {
                        try {
                            if (!MigrationStatus.read(api, job.toString()).snapshotFinished()) {
                                return false;
                            }
                        } catch (Exception e) {
                            return false;
                        }
                        shown[0] = status(rest, "--job", job.toString()).out();
                        return shown[0].contains("\n  " + shop + ":")
                                && shown[0].contains("\n  " + crm + ":")
                                && shown[0].contains("\n  " + us + ":");
                    });
            System.out.println("STATUS (across databases):\n" + shown[0]);
            String shopBlock = block(shown[0], shop);
            String crmBlock = block(shown[0], crm);
            assertThat(shopBlock).containsPattern("\n    orders +\\[#{24}\\] 100%");
            assertThat(shopBlock).containsPattern("\n    empty +\\[#{24}\\] 100%");
            assertThat(crmBlock).containsPattern("\n    orders +\\[#{24}\\] 100%");
            for (String db : List.of(eu, us)) {
                assertThat(block(shown[0], db)).containsPattern("\n    orders +\\[#{24}\\] 100%");
            }

            JsonNode json =
                    new ObjectMapper()
                            .readTree(status(rest, "--job", job.toString(), "--json").out());
            List<String> seen = new ArrayList<>();
            for (JsonNode c : json.get("collections")) {
                if (c.has("database")) {
                    seen.add(c.get("database").asText() + "." + c.get("collection").asText());
                }
            }
            assertThat(seen)
                    .contains(
                            shop + ".orders",
                            shop + ".empty",
                            crm + ".orders",
                            eu + ".orders",
                            us + ".orders");
            cancel(client, job);
        }
    }

    @Test
    void withoutARestApiStatusNamesTheNewestCompleteRetainedStateAndItResumes(
            @InjectClusterClient RestClusterClient<?> client) throws Exception {
        try (MongoTestServer source = MongoTestServer.source();
                MongoTestServer target = MongoTestServer.target()) {
            String db = ordersDatabase(source, "status_dead", 2000);
            Map<String, String> raw =
                    TestJobs.options(source.uri(), db, target.uri(), db + "_t", dir);
            raw.put("source.collections", "orders");
            raw.put("sync.type", "full+incremental");
            Path jobFile = dir.resolve("job.yaml");
            Files.writeString(
                    jobFile,
                    raw.entrySet().stream()
                            .map(e -> e.getKey() + ": \"" + e.getValue() + "\"")
                            .collect(Collectors.joining("\n", "", "\n")));
            MigrationConfig config = JobConfigLoader.load(jobFile, List.of());
            String rest = client.getWebInterfaceURL();

            // A savepoint first, then a job resumed from it that checkpoints and is cancelled: its
            // retained
            // checkpoint is the newer of the two.
            JobID first = TestJobs.submit(client, config, null);
            awaitFinishedSnapshot(rest, first, "orders");
            String savepoint = TestJobs.stopWithSavepoint(client, first, dir.resolve("savepoints"));
            TestJobs.awaitTermination(client, first, Duration.ofSeconds(30));
            JobID second = TestJobs.submit(client, config, savepoint);
            FlinkRest api = new FlinkRest(rest, Duration.ofSeconds(5));
            long[] checkpointId = new long[1];
            TestJobs.await(
                    "a completed checkpoint of the resumed job",
                    Duration.ofSeconds(60),
                    () -> {
                        try {
                            JsonNode latest =
                                    api.get("/jobs/" + second + "/checkpoints")
                                            .path("latest")
                                            .path("completed");
                            checkpointId[0] = latest.path("id").asLong();
                            return !latest.isMissingNode()
                                    && !latest.isNull()
                                    && checkpointId[0] > 0;
                        } catch (Exception e) {
                            return false;
                        }
                    });
            cancel(client, second);
            Path jobCheckpoints = dir.resolve("checkpoints").resolve(second.toString());
            Path retained;
            try (Stream<Path> list = Files.list(jobCheckpoints)) {
                retained =
                        list.filter(p -> p.getFileName().toString().startsWith("chk-"))
                                .max(Comparator.comparing(Path::toString))
                                .orElseThrow();
            }
            assertThat(retained.resolve("_metadata")).exists();
            // What a process killed while checkpointing leaves: a chk-N without _metadata.
            int next = Integer.parseInt(retained.getFileName().toString().substring(4)) + 1;
            Path unfinished = Files.createDirectories(jobCheckpoints.resolve("chk-" + next));

            CommandRun offline = status(deadRestUrl(), "--config", jobFile.toString());
            System.out.println("STATUS (no REST API):\n" + offline.out() + offline.err());
            String pointer = "file:" + retained;
            assertThat(offline.exit()).isZero();
            assertThat(offline.out())
                    .contains("No Flink REST API at http://127.0.0.1:")
                    .containsPattern(
                            "Checkpoints: \\S+, newest complete: "
                                    + retained.getFileName()
                                    + " of job "
                                    + second
                                    + " at ")
                    .containsPattern(
                            "Savepoints:  \\S+, newest complete: "
                                    + savepoint.substring(savepoint.lastIndexOf('/') + 1)
                                    + " at ")
                    .contains("Skipped " + unfinished + ": no _metadata")
                    .contains("Resume from the checkpoint (the newer of the two):")
                    .containsPattern(
                            "\n  java -jar \\S+ run --config "
                                    + jobFile
                                    + " --from-savepoint "
                                    + pointer
                                    + "\n")
                    .contains(
                            "  on a Flink cluster: flink run -s "
                                    + pointer
                                    + " job/target/mongo-resume-flink.jar --config "
                                    + jobFile);
            JsonNode json =
                    new ObjectMapper()
                            .readTree(
                                    status(
                                                    deadRestUrl(),
                                                    "--json",
                                                    "--checkpoint-dir",
                                                    dir.resolve("checkpoints").toString(),
                                                    "--savepoint-dir",
                                                    dir.resolve("savepoints").toString())
                                            .out());
            assertThat(json.get("resumeFrom").asText()).isEqualTo(pointer);
            assertThatThrownBy(() -> RestorePathCheck.check(unfinished.toString()))
                    .hasMessageContaining("The newest complete checkpoint there: " + pointer);

            // The checkpoint status named resumes the job: a change made now reaches the target.
            JobID third = TestJobs.submit(client, config, pointer);
            try (MongoClient s = MongoConnectionOptions.of(source.uri(), 5000).createClient();
                    MongoClient t = MongoConnectionOptions.of(target.uri(), 5000).createClient()) {
                TestJobs.await(
                        "the resumed job running",
                        Duration.ofSeconds(30),
                        () -> client.getJobStatus(third).join() == JobStatus.RUNNING);
                s.getDatabase(db)
                        .getCollection("orders")
                        .insertOne(new Document("_id", "after-resume"));
                TestJobs.await(
                        "a change after the resume in the target",
                        Duration.ofSeconds(60),
                        () ->
                                t.getDatabase(db + "_t")
                                                .getCollection("orders")
                                                .countDocuments(new Document("_id", "after-resume"))
                                        == 1);
            }
            cancel(client, third);
        }
    }

    /** Cancels and waits for it: a job left running would hold a slot and outlive its servers. */
    private static void cancel(RestClusterClient<?> client, JobID job) throws Exception {
        client.cancel(job).get();
        long start = System.nanoTime();
        while (!client.getJobStatus(job).get().isGloballyTerminalState()) {
            if (System.nanoTime() - start > Duration.ofSeconds(30).toNanos()) {
                throw new AssertionError("Job " + job + " still " + client.getJobStatus(job).get());
            }
            Thread.sleep(100);
        }
    }

    private MigrationConfig fullIncremental(
            MongoTestServer source, MongoTestServer target, String db) {
        Map<String, String> raw = TestJobs.options(source.uri(), db, target.uri(), db + "_t", dir);
        raw.put("sync.type", "full+incremental");
        raw.put("snapshot.readers", "1");
        raw.put("target.writers", "1");
        raw.put("snapshot.partition.size", "500");
        return MigrationConfig.fromRaw(raw);
    }

    /**
     * Until the snapshot is finished (status's own judgement) and status lists the collections; the
     * output.
     */
    private static String awaitFinishedSnapshot(String rest, JobID job, String... collections)
            throws InterruptedException {
        FlinkRest api = new FlinkRest(rest, Duration.ofSeconds(5));
        String[] shown = new String[1];
        TestJobs.await(
                "a finished snapshot of " + job,
                Duration.ofSeconds(90),
                () -> {
                    try {
                        if (!MigrationStatus.read(api, job.toString()).snapshotFinished()) {
                            return false;
                        }
                    } catch (Exception e) {
                        return false;
                    }
                    shown[0] = status(rest, "--job", job.toString()).out();
                    return shown[0].contains("\" RUNNING")
                            && Arrays.stream(collections)
                                    .allMatch(c -> shown[0].contains("\n  " + c + " "));
                });
        return shown[0];
    }

    /** A database's lines of the status output: its header and its collections' lines. */
    private static String block(String out, String database) {
        String header = "\n  " + database + ":";
        int start = out.indexOf(header);
        assertThat(start).as("a header for " + database + " in\n" + out).isNotNegative();
        StringBuilder lines = new StringBuilder(header);
        for (String line : out.substring(start + header.length() + 1).split("\n")) {
            if (!line.startsWith("    ")) {
                break;
            }
            lines.append('\n').append(line);
        }
        return lines.toString();
    }

    private static String doneLine(String collection) {
        return "\n  " + collection + " +\\[#{24}\\] 100%";
    }

    /**
     * A fresh database on the source: {@code orders} documents in orders, and the empty ones named.
     */
    private static String ordersDatabase(
            MongoTestServer source, String name, int orders, String... empty) {
        String db = MongoTestServer.freshDatabaseName(name);
        try (MongoClient c = MongoConnectionOptions.of(source.uri(), 5000).createClient()) {
            List<Document> docs = new ArrayList<>();
            for (int i = 0; i < orders; i++) {
                docs.add(new Document("_id", i).append("p", "x".repeat(100)));
            }
            c.getDatabase(db).getCollection("orders").insertMany(docs);
            for (String collection : empty) {
                c.getDatabase(db).createCollection(collection);
            }
        }
        return db;
    }

    private static String deadRestUrl() {
        return "http://127.0.0.1:" + Ports.free();
    }

    @Test
    void unreachableRestApiIsAClearError() throws IOException {
        int deadPort = Ports.free();
        CommandRun run = status("http://127.0.0.1:" + deadPort);
        assertThat(run.exit()).isEqualTo(StatusCommand.EXIT_UNREACHABLE);
        assertThat(run.err()).contains("no Flink REST API at http://127.0.0.1:" + deadPort);
    }

    private static CommandRun status(String rest, String... args) {
        List<String> all = new ArrayList<>(List.of("--rest", rest));
        all.addAll(Arrays.asList(args));
        return CommandRun.of(new StatusCommand(), all.toArray(new String[0]));
    }
}
