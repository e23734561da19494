package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.util.CloseableIterator;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.common.selection.NamespacePattern;
import io.mongoresume.connectors.snapshot.enumerator.partition.CountScanPosition;
import io.mongoresume.connectors.snapshot.enumerator.partition.IdSource;
import io.mongoresume.connectors.snapshot.query.SnapshotReadConcern;
import io.mongoresume.connectors.testutils.MongoTestServer;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The partitioners' {@code _id} queries through the catalog's id source, as the server sees them:
 * with the snapshot's read concern, bounded by the source's timeout per round trip, except the
 * whole-bracket counts.
 */
class MongoSourceCatalogTest {

    /** Two batches of the id scan. */
    private static final int DOCUMENTS = 12_000;

    /** Room for the embedded server's first batch (it sorts the collection) on a loaded machine. */
    private static final long SCAN_TIMEOUT_MS = 2_000;

    private static MongoTestServer server;
    private static final List<BsonDocument> COMMANDS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void seed() {
        server = MongoTestServer.embedded();
        try (MongoClient client = MongoClients.create(server.uri())) {
            List<BsonDocument> docs = new ArrayList<>();
            for (int i = 0; i < DOCUMENTS; i++) {
                docs.add(new BsonDocument("_id", new BsonInt32(i)));
            }
            client.getDatabase("catalog")
                    .getCollection("docs", BsonDocument.class)
                    .insertMany(docs);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void clear() {
        COMMANDS.clear();
    }

    private static MongoSourceCatalog catalog(SnapshotReadConcern readConcern, long timeoutMillis) {
        return catalog(CollectionSelection.everything("catalog"), readConcern, timeoutMillis);
    }

    private static MongoSourceCatalog catalog(
            CollectionSelection selection, SnapshotReadConcern readConcern, long timeoutMillis) {
        MongoConnectionOptions connection = MongoConnectionOptions.of(server.uri(), timeoutMillis);
        CommandListener listener =
                new CommandListener() {
                    @Override
                    public void commandStarted(CommandStartedEvent event) {
                        COMMANDS.add(event.getCommand().clone());
                    }
                };
        return new MongoSourceCatalog(
                MongoClients.create(
                        connection.boundedClientSettings().addCommandListener(listener).build()),
                selection,
                readConcern);
    }

    private static List<BsonDocument> commands(String name) {
        List<BsonDocument> found = new ArrayList<>();
        for (BsonDocument command : COMMANDS) {
            if (command.getFirstKey().equals(name)) {
                found.add(command);
            }
        }
        return found;
    }

    @Test
    void idQueriesReadMajorityCommittedDataAndAreBoundedPerRoundTrip() throws Exception {
        try (MongoSourceCatalog catalog = catalog(SnapshotReadConcern.MAJORITY, 10_000)) {
            IdSource ids = catalog.idSource("catalog.docs");
            assertThat(ids.minId(TypeBracket.NUMBER)).isEqualTo(new BsonInt32(0));
            assertThat(ids.maxId(null)).isEqualTo(new BsonInt32(DOCUMENTS - 1));
            assertThat(ids.rangeFilterConsistent(TypeBracket.NUMBER, new BsonInt32(0))).isTrue();
        }
        BsonDocument majority = new BsonDocument("level", new BsonString("majority"));
        List<BsonDocument> finds = commands("find");
        List<BsonDocument> counts = commands("aggregate");
        assertThat(finds).isNotEmpty();
        assertThat(counts).hasSize(2);
        for (BsonDocument query : concat(finds, counts)) {
            assertThat(query.getDocument("readConcern")).as(query.toJson()).isEqualTo(majority);
        }
        // The server gives up on a min/max query once the timeout has passed; a count scans a whole
        // type
        // bracket and may take longer, so it is not bounded.
        assertBoundedByTheServer(finds, true);
        assertBoundedByTheServer(counts, false);
    }

    /**
     * Whether each of {@code commands} carries a {@code maxTimeMS}, after which the server gives
     * up.
     */
    private static void assertBoundedByTheServer(List<BsonDocument> commands, boolean bounded) {
        assertThat(commands)
                .allSatisfy(
                        command ->
                                assertThat(command.containsKey("maxTimeMS"))
                                        .as(command.toJson())
                                        .isEqualTo(bounded));
    }

    @Test
    void theIdScanMayLiveLongerThanTheTimeoutAndReadsTheConfiguredLevel() throws Exception {
        int scanned = 0;
        long start = System.nanoTime();
        try (MongoSourceCatalog catalog = catalog(SnapshotReadConcern.LOCAL, SCAN_TIMEOUT_MS);
                CloseableIterator<BsonValue> scan =
                        catalog.idSource("catalog.docs").scanIds(CountScanPosition.START)) {
            while (scan.hasNext()) {
                scan.next();
                if (++scanned == 10_000) {
                    // A slow partitioner: the cursor outlives the timeout before its next round
                    // trip.
                    Thread.sleep(SCAN_TIMEOUT_MS + 500);
                }
            }
        }
        assertThat(scanned).isEqualTo(DOCUMENTS);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThan(SCAN_TIMEOUT_MS);
        assertThat(commands("getMore")).as("a round trip after the pause").isNotEmpty();
        assertThat(commands("find"))
                .singleElement()
                .satisfies(
                        find ->
                                assertThat(find.getDocument("readConcern"))
                                        .isEqualTo(
                                                new BsonDocument(
                                                        "level", new BsonString("local"))));
    }

    @Test
    void listsTheNamespacesOfEveryDatabaseTheSelectionMayMatchAndCountsByNamespace() {
        try (MongoClient client = MongoClients.create(server.uri())) {
            client.getDatabase("catalog_eu")
                    .getCollection("more")
                    .insertOne(new Document("_id", 1));
            client.getDatabase("elsewhere").getCollection("x").insertOne(new Document("_id", 1));
        }
        CollectionSelection acrossDatabases =
                CollectionSelection.namespaces(
                        List.of(NamespacePattern.parse("catalog*.*", "test")), List.of());
        try (MongoSourceCatalog catalog =
                catalog(acrossDatabases, SnapshotReadConcern.LOCAL, 10_000)) {
            List<String> namespaces = catalog.listNamespaces();
            assertThat(namespaces)
                    .contains("catalog.docs", "catalog_eu.more")
                    .doesNotContain("elsewhere.x")
                    .isSorted();
            assertThat(acrossDatabases.filterNamespaces(namespaces))
                    .containsExactly("catalog.docs", "catalog_eu.more");
            assertThat(catalog.estimatedDocumentCount("catalog_eu.more")).isEqualTo(1);
            assertThat(catalog.idSource("catalog_eu.more").maxId(null)).isEqualTo(new BsonInt32(1));
        }
    }

    private static List<BsonDocument> concat(List<BsonDocument> a, List<BsonDocument> b) {
        List<BsonDocument> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
