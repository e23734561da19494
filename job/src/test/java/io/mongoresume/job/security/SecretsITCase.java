package io.mongoresume.job.security;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.InjectClusterClientConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.mongoresume.connectors.testutils.MiniClusters;
import io.mongoresume.connectors.testutils.MongoServerExtension;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.testutils.TestJobs;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A password in a connection string never shows: not in what the commands print or log, not in the
 * job configuration the Flink web UI displays. (The embedded server has no access control, so a run
 * with credentials ends at the authentication step; everything printed up to there is checked.)
 */
class SecretsITCase {

    private static final String SECRET = "s3cretPW-4711";

    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = MiniClusters.of(1, 2);

    @RegisterExtension
    static final MongoServerExtension SERVER = new MongoServerExtension(MongoTestServer::embedded);

    private static String database;

    @TempDir Path dir;

    @BeforeAll
    static void start() {
        database = MongoTestServer.freshDatabaseName("secrets");
        SERVER.client().getDatabase(database).getCollection("c").insertOne(new Document("_id", 1));
    }

    @Test
    void commandsNeverPrintThePassword() throws Exception {
        Path jar = Paths.get("target", "mongo-resume.jar").toAbsolutePath();
        assertThat(jar).as("built by the package phase").exists();
        String withPassword =
                SERVER.server().uri().replace("mongodb://", "mongodb://admin:" + SECRET + "@");
        Path jobFile = dir.resolve("job.yaml");
        Files.writeString(
                jobFile,
                "source.uri: \""
                        + withPassword
                        + "\"\n"
                        + "source.database: "
                        + database
                        + "\n"
                        + "target.uri: \""
                        + withPassword
                        + "\"\n"
                        + "source.timeout: 3 s\n"
                        + "target.timeout: 3 s\n");
        for (List<String> command :
                List.of(
                        List.of("run", "--config", jobFile.toString(), "--web-ui-port", "0"),
                        List.of("precheck", "--config", jobFile.toString()),
                        List.of("verify", "--config", jobFile.toString()),
                        List.of(
                                "run",
                                "--config",
                                jobFile.toString(),
                                "--set",
                                "snapshot.readers=x"))) {
            String output = runJar(jar, command);
            if (!command.contains("--set")) {
                assertThat(output).as("output of %s", command).contains("admin:****@");
            }
            assertThat(output).as("output of %s", command).isNotBlank().doesNotContain(SECRET);
        }
    }

    @Test
    void theWebUiJobConfigurationHoldsNoConnectionString(
            @InjectClusterClient ClusterClient<?> client,
            @InjectClusterClientConfiguration Configuration clientConfig)
            throws Exception {
        Map<String, String> raw =
                TestJobs.options(
                        SERVER.server().uri(),
                        database,
                        SERVER.server().uri(),
                        database + "_copy",
                        dir);
        raw.put("sync.type", "full+incremental");
        JobID job = TestJobs.submit(client, MigrationConfig.fromRaw(raw), null);
        String base =
                "http://"
                        + clientConfig.get(RestOptions.ADDRESS)
                        + ":"
                        + clientConfig.get(RestOptions.PORT);
        HttpClient http = HttpClient.newHttpClient();
        List<String> pages = new ArrayList<>();
        for (String path :
                List.of("/jobs/" + job + "/config", "/jobs/" + job, "/jobs/" + job + "/plan")) {
            pages.add(
                    http.send(
                                    HttpRequest.newBuilder(URI.create(base + path))
                                            .timeout(Duration.ofSeconds(10))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body());
        }
        TestJobs.cancel(client, job);
        assertThat(pages)
                .allSatisfy(page -> assertThat(page).isNotEmpty().doesNotContain("mongodb://"));
    }

    private static String runJar(Path jar, List<String> args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new String(output, StandardCharsets.UTF_8);
    }
}
