package io.mongoresume.job.cli;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.job.restore.LocalStatePath;
import io.mongoresume.job.restore.RestorePoints;
import io.mongoresume.job.testutils.ChildProcess;
import io.mongoresume.job.testutils.ServerPair;
import io.mongoresume.job.testutils.TestJobs;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exit codes a scheduler sees: {@code java -jar mongo-resume.jar run} as its own process (the
 * jar the build just packaged), ended by itself, by SIGTERM, by a failing job and by bad input.
 */
class ExitCodesITCase {

    @RegisterExtension static final ServerPair SERVERS = new ServerPair();

    private static final Path JAR = Paths.get("target", "mongo-resume.jar");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern SAVEPOINT = Pattern.compile("Stopped with a savepoint at (\\S+)");
    private static final Pattern RESUME =
            Pattern.compile("Resume with:\\n  java -jar \\S+ (run .*)\\n");

    @TempDir Path dir;

    @Test
    void finishedRunExitsZero() throws Exception {
        String db = seed("finished", 300);
        Run run =
                Run.start(
                        dir,
                        "run",
                        "--config",
                        jobFile(db, "full").toString(),
                        "--web-ui-port",
                        freePort());
        assertThat(run.await()).as(run.output()).isEqualTo(MongoResumeCli.EXIT_FINISHED);
        assertThat(run.stdout()).containsPattern("orders +300 +300  ok");
    }

    @Test
    void sigtermStopsWithASavepointExitsThreeAndTheResumeCommandWorks() throws Exception {
        String db = seed("stopped", 300);
        Path jobFile = jobFile(db, "full+incremental");
        String port = freePort();
        Run first = Run.start(dir, "run", "--config", jobFile.toString(), "--web-ui-port", port);
        first.awaitRunningJob(port);
        first.process.destroy(); // SIGTERM, as a scheduler ends a job
        assertThat(first.await())
                .as(first.output())
                .isEqualTo(MongoResumeCli.EXIT_STOPPED_WITH_SAVEPOINT);
        Matcher savepoint = SAVEPOINT.matcher(first.stdout());
        assertThat(savepoint.find()).as(first.output()).isTrue();
        assertThat(RestorePoints.isComplete(LocalStatePath.of(savepoint.group(1)).orElseThrow()))
                .isTrue();

        Matcher resume = RESUME.matcher(first.stdout());
        assertThat(resume.find()).as(first.output()).isTrue();
        assertThat(resume.group(1)).contains("--from-savepoint " + savepoint.group(1));
        Run second = Run.start(dir, resume.group(1).split(" "));
        second.awaitRunningJob(port);
        assertThat(second.stdout()).contains("started from savepoint " + savepoint.group(1));
        second.process.destroy();
        assertThat(second.await())
                .as(second.output())
                .isEqualTo(MongoResumeCli.EXIT_STOPPED_WITH_SAVEPOINT);
    }

    @Test
    void failedJobExitsOneWithItsCause() throws Exception {
        String db = MongoTestServer.freshDatabaseName("failed");
        SERVERS.sourceClient()
                .getDatabase(db)
                .getCollection("orders")
                .insertMany(
                        List.of(
                                new Document("_id", 1).append("k", "same"),
                                new Document("_id", 2).append("k", "same")));
        // A target index the source does not have: the second document cannot be written.
        MongoDatabase target = SERVERS.targetClient().getDatabase(db + "_t");
        target.getCollection("orders")
                .createIndex(new Document("k", 1), new IndexOptions().unique(true));
        // run's own restart strategy (3 attempts) stays: a refused write must fail at once, not
        // restart.
        Path jobFile = jobFile(db, "full");
        Run run =
                Run.start(dir, "run", "--config", jobFile.toString(), "--web-ui-port", freePort());
        assertThat(run.await()).as(run.output()).isEqualTo(MongoResumeCli.EXIT_JOB_FAILED);
        assertThat(run.stderr())
                .containsPattern(
                        "Job failed: The write of _id 2 .* of "
                                + db
                                + ".orders was refused by the target")
                .contains("error 11000")
                .contains("target.on-write-error=skip-and-log");
        assertThat(run.output()).doesNotContain("Restarting job");
    }

    @Test
    void badInputExitsTwoWithOneLineAndStartsNothing() throws Exception {
        String db = seed("bad", 1);
        Path jobFile = jobFile(db, "full");
        List<List<String>> inputs =
                List.of(
                        List.of(
                                "run",
                                "--config",
                                jobFile.toString(),
                                "--set",
                                "target.writers=129"),
                        List.of(
                                "run",
                                "--config",
                                jobFile.toString(),
                                "--from-savepoint",
                                dir.resolve("nope").toString()),
                        List.of(
                                "demo",
                                "--dir",
                                dir.resolve("demo").toString(),
                                "--from-savepoint",
                                dir.resolve("nope").toString()));
        for (List<String> args : inputs) {
            Run run = Run.start(dir, args.toArray(new String[0]));
            assertThat(run.await()).as(run.output()).isEqualTo(MongoResumeCli.EXIT_BAD_INPUT);
            assertThat(run.stdout()).as(run.output()).isEmpty();
            assertThat(run.stderr().lines())
                    .as(run.output())
                    .hasSize(1)
                    .allMatch(l -> l.startsWith("error: "));
        }
        assertThat(dir.resolve("demo")).doesNotExist();
    }

    private String seed(String prefix, int documents) {
        String db = MongoTestServer.freshDatabaseName(prefix);
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < documents; i++) {
            docs.add(new Document("_id", i).append("v", "x".repeat(50)));
        }
        SERVERS.sourceClient().getDatabase(db).getCollection("orders").insertMany(docs);
        return db;
    }

    private Path jobFile(String db, String sync, String... extraLines) throws IOException {
        Map<String, String> options =
                TestJobs.options(SERVERS.sourceUri(), db, SERVERS.targetUri(), db + "_t", dir);
        options.put("sync.type", sync);
        options.put("snapshot.readers", "1");
        options.put("target.writers", "1");
        String yaml =
                options.entrySet().stream()
                        .map(e -> e.getKey() + ": \"" + e.getValue() + "\"")
                        .collect(
                                Collectors.joining(
                                        "\n", "", "\n" + String.join("\n", extraLines) + "\n"));
        return Files.writeString(dir.resolve(db + ".yaml"), yaml);
    }

    private static String freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return String.valueOf(socket.getLocalPort());
        }
    }

    /** One {@code java -jar mongo-resume.jar} process with its output in files. */
    private static final class Run {
        final Process process;
        final Path out;
        final Path err;

        private Run(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        static Run start(Path dir, String... args) throws IOException {
            assertThat(JAR).as("the jar mvn package builds").exists();
            ChildProcess child =
                    ChildProcess.start(
                            new ProcessBuilder(ChildProcess.javaJar("-Xmx768m", JAR, args)),
                            dir,
                            "run-");
            return new Run(child.process(), child.out(), child.err());
        }

        /**
         * Until the local cluster's REST API shows the job with every task running (the signal
         * handler is set by then; beside a change stream the snapshot source never finishes, so a
         * stop cannot race its end).
         */
        void awaitRunningJob(String port) throws InterruptedException {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://localhost:" + port;
            TestJobs.await(
                    "a running job on port " + port,
                    Duration.ofSeconds(60),
                    () -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("mongo-resume.jar ended early:\n" + output());
                        }
                        try {
                            JsonNode jobs = get(http, base + "/jobs/overview").path("jobs");
                            if (jobs.size() != 1
                                    || !"RUNNING".equals(jobs.get(0).path("state").asText())) {
                                return false;
                            }
                            JsonNode vertices =
                                    get(http, base + "/jobs/" + jobs.get(0).path("jid").asText())
                                            .path("vertices");
                            // Beside a change stream the snapshot source keeps running: every task
                            // runs.
                            for (JsonNode vertex : vertices) {
                                if (!"RUNNING".equals(vertex.path("status").asText())) {
                                    return false;
                                }
                            }
                            return stdout().contains("Press Ctrl-C");
                        } catch (IOException e) {
                            return false;
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return false;
                        }
                    });
        }

        private static JsonNode get(HttpClient http, String url)
                throws IOException, InterruptedException {
            HttpRequest request =
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
            return MAPPER.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        }

        int await() throws InterruptedException {
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("mongo-resume.jar did not end:\n" + output());
            }
            return process.exitValue();
        }

        String stdout() {
            return read(out);
        }

        String stderr() {
            return read(err);
        }

        String output() {
            return "--- stdout\n" + stdout() + "--- stderr\n" + stderr();
        }

        private static String read(Path file) {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }
    }
}
