package io.mongoresume.job.precheck;

import com.mongodb.client.MongoClient;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.connectors.testutils.Ports;
import io.mongoresume.job.config.InvalidConfigException;
import io.mongoresume.job.plan.MigrationPlan;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Errors that must stop a job before anything is written, each saying what to do. */
class SourceCollectionsITCase {

    private static MongoTestServer server;
    private static String database;

    @BeforeAll
    static void start() {
        server = MongoTestServer.source();
        database = MongoTestServer.freshDatabaseName("preflight");
        try (MongoClient client = MongoConnectionOptions.of(server.uri(), 5000).createClient()) {
            client.getDatabase(database).getCollection("orders").insertOne(new Document("x", 1));
            client.getDatabase(database).getCollection("customers").insertOne(new Document("x", 1));
            client.getDatabase(database)
                    .getCollection("order_lines")
                    .insertOne(new Document("x", 1));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void selectsByListAndByRegex() {
        assertThat(SourceCollections.resolve(config("source.collections", "orders;customers")))
                .containsExactly(database + ".customers", database + ".orders");
        assertThat(SourceCollections.resolve(config("source.collection-regex", "order.*")))
                .containsExactly(database + ".order_lines", database + ".orders");
        assertThat(SourceCollections.resolve(config(null, null)))
                .containsExactly(
                        database + ".customers", database + ".order_lines", database + ".orders");
    }

    @Test
    void unknownCollectionListsWhatExists() {
        assertThatThrownBy(
                        () ->
                                SourceCollections.resolve(
                                        config("source.collections", "orders;invoices")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("[invoices]")
                .hasMessageContaining("It has: customers, order_lines, orders");
    }

    @Test
    void regexMatchingNothingSaysSo() {
        assertThatThrownBy(
                        () -> SourceCollections.resolve(config("source.collection-regex", "inv.*")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'inv.*' matches no collection")
                .hasMessageContaining("customers, order_lines, orders");
    }

    @Test
    void emptyDatabaseWithoutASelectionSaysTheDatabaseIsEmpty() {
        String empty = MongoTestServer.freshDatabaseName("empty");
        Map<String, String> raw = raw(null, null);
        raw.put("source.database", empty);
        assertThatThrownBy(() -> SourceCollections.resolve(MigrationPlan.fromRaw(raw)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith(
                        "Database '"
                                + empty
                                + "' on "
                                + MongoConnectionOptions.mask(server.uri())
                                + " has no collections, so there is nothing to migrate (source.database;"
                                + " the databases there: ")
                .hasMessageContaining(database)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("collection-regex"));
    }

    @Test
    void unreachableSourceFailsWithinTheTimeoutNeverHangs() throws IOException {
        int deadPort = Ports.free();
        Map<String, String> raw = raw(null, null);
        raw.put(
                "source.uri",
                "mongodb://admin:s3cret@127.0.0.1:" + deadPort + "/?directConnection=true");
        raw.put("source.timeout", "1500 ms");
        long start = System.nanoTime();
        assertThatThrownBy(() -> SourceCollections.resolve(MigrationPlan.fromRaw(raw)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("The source mongodb://admin:****@127.0.0.1:" + deadPort)
                .hasMessageContaining("did not answer within 1500 ms (source.timeout)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
    }

    @Test
    void unreachableTargetIsReportedBeforeAnyWrite() throws IOException {
        int deadPort = Ports.free();
        Map<String, String> raw = raw(null, null);
        raw.put("target.uri", "mongodb://127.0.0.1:" + deadPort);
        raw.put("target.timeout", "1 s");
        assertThatThrownBy(() -> SourceCollections.resolve(MigrationPlan.fromRaw(raw)))
                .hasMessageContaining("The target mongodb://127.0.0.1:" + deadPort)
                .hasMessageContaining("target.timeout");
    }

    private static MigrationPlan config(String key, String value) {
        return MigrationPlan.fromRaw(raw(key, value));
    }

    private static Map<String, String> raw(String key, String value) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("source.uri", server.uri());
        raw.put("source.database", database);
        raw.put("target.uri", server.uri());
        raw.put("target.database", database + "_copy");
        if (key != null) {
            raw.put(key, value);
        }
        return raw;
    }
}
