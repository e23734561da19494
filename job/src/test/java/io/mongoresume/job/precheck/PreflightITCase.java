package io.mongoresume.job.precheck;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.job.FlinkJobMain;
import io.mongoresume.job.cli.MongoResumeCli;
import io.mongoresume.job.config.InvalidConfigException;
import io.mongoresume.job.plan.MigrationPlan;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A target namespace that is a selected source namespace of the same deployment is refused before
 * anything is written, however the URIs spell the deployment. Seen on main at 7eef506: same URI, no
 * target.database, existing-data=drop wiped the source and the run exited 0 with "orders 0 0 ok".
 */
class PreflightITCase {

    private static MongoTestServer source;
    private static MongoTestServer other;
    private static String database;

    @TempDir Path dir;

    @BeforeAll
    static void seed() {
        source = MongoTestServer.source();
        other = MongoTestServer.embedded();
        database = MongoTestServer.freshDatabaseName("same_ns");
        for (String uri : List.of(source.uri(), other.uri())) {
            try (MongoClient client = MongoConnectionOptions.of(uri, 5000).createClient()) {
                MongoDatabase db = client.getDatabase(database);
                for (int i = 0; i < 20; i++) {
                    db.getCollection("orders").insertOne(new Document("_id", i));
                }
                db.getCollection("customers").insertOne(new Document("_id", 1));
            }
        }
    }

    @AfterAll
    static void stop() {
        source.close();
        other.close();
    }

    @Test
    void theSameDeploymentUnderTheSameOrAnotherHostNameIsRefused() {
        for (String targetUri : List.of(source.uri(), alias(source.uri()))) {
            assertThatThrownBy(() -> Preflight.check(config(targetUri, null, "drop"), false))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageContaining("The target is the source")
                    .hasMessageContaining("collections it reads (customers, orders)")
                    .hasMessageContaining("Set target.database to another database");
        }
        assertThat(sourceCount()).isEqualTo(20);
    }

    @Test
    void anotherDatabaseOfTheSameDeploymentOrAnotherDeploymentIsAllowed() {
        assertThat(Preflight.check(config(source.uri(), database + "_copy", "drop"), false))
                .containsExactly(database + ".customers", database + ".orders");
        assertThat(Preflight.check(config(other.uri(), null, "drop"), false))
                .containsExactly(database + ".customers", database + ".orders");
    }

    @Test
    void runAndTheClusterEntryPointRefuseBeforeWriting() throws IOException {
        Path job = dir.resolve("job.yaml");
        Files.writeString(
                job,
                "source:\n  uri: \""
                        + source.uri()
                        + "\"\n  database: "
                        + database
                        + "\n"
                        + "target:\n  uri: \""
                        + alias(source.uri())
                        + "\"\n  existing-data: drop\n"
                        + "sync:\n  type: full\n"
                        + "checkpoint:\n  dir: "
                        + dir.resolve("cp").toUri()
                        + "\n");
        assertThat(MongoResumeCli.execute("run", "--config", job.toString(), "--web-ui-port", "0"))
                .isEqualTo(2);
        assertThatThrownBy(() -> FlinkJobMain.main(new String[] {"--config", job.toString()}))
                .hasMessageContaining("mongo-resume did not submit the job")
                .hasMessageContaining("The target is the source");
        assertThat(sourceCount()).isEqualTo(20);
    }

    private static long sourceCount() {
        try (MongoClient client = MongoConnectionOptions.of(source.uri(), 5000).createClient()) {
            return client.getDatabase(database).getCollection("orders").countDocuments();
        }
    }

    /** The same server under another name: localhost for 127.0.0.1 and back. */
    private static String alias(String uri) {
        return uri.contains("127.0.0.1")
                ? uri.replace("127.0.0.1", "localhost")
                : uri.replace("localhost", "127.0.0.1");
    }

    private static MigrationPlan config(String targetUri, String targetDb, String existingData) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("source.uri", source.uri());
        raw.put("source.database", database);
        raw.put("target.uri", targetUri);
        if (targetDb != null) {
            raw.put("target.database", targetDb);
        }
        raw.put("target.existing-data", existingData);
        raw.put("source.timeout", "5 s");
        raw.put("target.timeout", "5 s");
        return MigrationPlan.fromRaw(raw);
    }
}
