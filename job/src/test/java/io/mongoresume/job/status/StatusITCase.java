package io.mongoresume.job.status;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.mongodb.client.MongoClient;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.testutils.TestJobs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code status} against the REST API of a MiniCluster running the real job: it finds the job, shows the
 * per-collection progress from the enumerator (coordinator metrics) and readers, the last checkpoint, and
 * the change-stream lag of a full+incremental job, and after a stop-with-savepoint the savepoint and the
 * resume command.
 */
class StatusITCase {

    private static final int DOCS = 20_000;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(conf())
                            .build());

    private static Configuration conf() {
        Configuration conf = new Configuration();
        // REST serves metrics from a cache refreshed every 10 s by default.
        conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(300));
        // ... and job details from a cache refreshed every 3 s.
        conf.set(WebOptions.REFRESH_INTERVAL, Duration.ofMillis(300));
        return conf;
    }

    @TempDir Path dir;

    @Test
    void showsProgressCheckpointSavepointAndResumeCommand(@InjectClusterClient RestClusterClient<?> client)
            throws Exception {
        try (MongoTestServer source = MongoTestServer.source();
                MongoTestServer target = MongoTestServer.target()) {
            String db = MongoTestServer.freshDatabaseName("status");
            try (MongoClient c = MongoConnectionOptions.of(source.uri(), 5000).createClient()) {
                List<Document> docs = new ArrayList<>();
                for (int i = 0; i < DOCS; i++) {
                    docs.add(new Document("_id", i).append("p", "x".repeat(100)));
                }
                c.getDatabase(db).getCollection("orders").insertMany(docs);
            }
            // Slow on purpose (one reader, small queries) so the job is still running when status looks.
            Map<String, String> raw = TestJobs.options(source.uri(), db, target.uri(), db + "_t", dir);
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
            TestJobs.await("status with progress and a checkpoint", Duration.ofSeconds(90), () -> {
                shown[0] = status(rest).out;
                return shown[0].contains("Last checkpoint: #") && shown[0].contains("docs read of ~")
                        && shown[0].contains("CDC lag ")
                        && shown[0].matches("(?s).*orders +\\[#*-*\\] +\\d+%  \\d+/20 splits.*");
            });
            System.out.println("STATUS (running):\n" + shown[0]);
            assertThat(shown[0])
                    .contains("Job " + job + " \"mongo-resume " + db + " -> " + db + "_t\" RUNNING")
                    .contains("written")
                    .contains("Last savepoint:  none")
                    .contains("Resume: no savepoint yet; stop with one: flink stop --savepointPath <dir> " + job);

            JsonNode json = new ObjectMapper().readTree(status(rest, "--json").out);
            assertThat(json.get("job").get("id").asText()).isEqualTo(job.toString());
            assertThat(json.get("collections").get(0).get("collection").asText()).isEqualTo("orders");
            assertThat(json.get("collections").get(0).get("splitsTotal").asLong()).isEqualTo(20);
            assertThat(json.get("lastCheckpoint").get("external_path").asText()).contains("chk-");

            String savepoint = TestJobs.stopWithSavepoint(client, job, dir.resolve("savepoints"));
            Run[] stopped = new Run[1];
            TestJobs.await("status of the stopped job", Duration.ofSeconds(30), () -> {
                stopped[0] = status(rest, "--job", job.toString(), "--config", "job.yaml");
                return !stopped[0].out.contains("\" RUNNING");
            });
            Run after = stopped[0];
            System.out.println("STATUS (stopped):\n" + after.out);
            assertThat(after.exit).isZero();
            String name = savepoint.substring(savepoint.lastIndexOf('/') + 1);
            assertThat(after.out)
                    .containsPattern("\" (FINISHED|CANCELED)")
                    .containsPattern("Last savepoint:  #\\d+ COMPLETED .*" + name)
                    .containsPattern("Resume: flink run -s \\S*" + name + " job/target/mongo-resume-flink.jar --config job.yaml");
        }
    }

    @Test
    void unreachableRestApiIsAClearError() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        Run run = status("http://127.0.0.1:" + deadPort);
        assertThat(run.exit).isEqualTo(StatusCommand.EXIT_UNREACHABLE);
        assertThat(run.err).contains("no Flink REST API at http://127.0.0.1:" + deadPort);
    }

    private static Run status(String rest, String... args) {
        List<String> all = new ArrayList<>(List.of("--rest", rest));
        all.addAll(Arrays.asList(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new StatusCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(all.toArray(new String[0]));
        return new Run(exit, out.toString(), err.toString());
    }

    private record Run(int exit, String out, String err) {}
}
