package io.mongoresume.job.precheck;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;

import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.testutils.MongoServerExtension;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.job.FlinkJobMain;
import io.mongoresume.job.cli.MongoResumeCli;
import io.mongoresume.job.config.InvalidConfigException;
import io.mongoresume.job.plan.MigrationPlan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A target namespace that is a selected source namespace of the same deployment is refused before anything is
 * written, however the URIs spell the deployment. Seen on main at 7eef506: same URI, no target.database,
 * existing-data=drop wiped the source and the run exited 0 with "orders 0 0 ok".
 */
class PreflightITCase {

    @RegisterExtension
    static final MongoServerExtension SOURCE = new MongoServerExtension(MongoTestServer::source);

    /** Another deployment with the same database and collections. */
    @RegisterExtension
    static final MongoServerExtension OTHER = new MongoServerExtension(MongoTestServer::embedded);

    private static final String DATABASE = MongoTestServer.freshDatabaseName("same_ns");

    @TempDir Path dir;

    @BeforeAll
    static void seed() {
        for (MongoServerExtension server : List.of(SOURCE, OTHER)) {
            MongoDatabase db = server.client().getDatabase(DATABASE);
            for (int i = 0; i < 20; i++) {
                db.getCollection("orders").insertOne(new Document("_id", i));
            }
            db.getCollection("customers").insertOne(new Document("_id", 1));
        }
    }

    @Test
    void theSameDeploymentUnderTheSameOrAnotherHostNameIsRefused() {
        for (String targetUri : List.of(SOURCE.server().uri(), alias(SOURCE.server().uri()))) {
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
        assertThat(Preflight.check(config(SOURCE.server().uri(), DATABASE + "_copy", "drop"), false))
                .containsExactly("customers", "orders");
        assertThat(Preflight.check(config(OTHER.server().uri(), null, "drop"), false)).containsExactly("customers", "orders");
    }

    @Test
    void runAndTheClusterEntryPointRefuseBeforeWriting() throws IOException {
        Path job = dir.resolve("job.yaml");
        Files.writeString(
                job,
                "source:\n  uri: \"" + SOURCE.server().uri() + "\"\n  database: " + DATABASE + "\n"
                        + "target:\n  uri: \"" + alias(SOURCE.server().uri()) + "\"\n  existing-data: drop\n"
                        + "sync:\n  type: full\n"
                        + "checkpoint:\n  dir: " + dir.resolve("cp").toUri() + "\n");
        assertThat(MongoResumeCli.execute("run", "--config", job.toString(), "--web-ui-port", "0"))
                .isEqualTo(2);
        assertThatThrownBy(() -> FlinkJobMain.main(new String[] {"--config", job.toString()}))
                .hasMessageContaining("mongo-resume did not submit the job")
                .hasMessageContaining("The target is the source");
        assertThat(sourceCount()).isEqualTo(20);
    }

    private static long sourceCount() {
        try (MongoClient client = MongoConnectionOptions.of(SOURCE.server().uri(), 5000).createClient()) {
            return client.getDatabase(DATABASE).getCollection("orders").countDocuments();
        }
    }

    /** The same server under another name: localhost for 127.0.0.1 and back. */
    private static String alias(String uri) {
        return uri.contains("127.0.0.1") ? uri.replace("127.0.0.1", "localhost") : uri.replace("localhost", "127.0.0.1");
    }

    private static MigrationPlan config(String targetUri, String targetDb, String existingData) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("source.uri", SOURCE.server().uri());
        raw.put("source.database", DATABASE);
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
