package io.mongoresume.job.server;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import io.mongoresume.connectors.testutils.Ports;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded test/demo server: both backends, restart with a file, change streams, fixed ports.
 */
class EmbeddedMongoServerITCase {

    private static final long EVENT_WAIT_MILLIS = 10_000;

    @Test
    void memoryBackendOnRandomPortDeliversChangeStreamEvents() {
        try (EmbeddedMongoServer server = EmbeddedMongoServer.start("127.0.0.1", 0, null);
                MongoClient client = MongoClients.create(server.uri())) {
            assertThat(server.port()).isPositive();
            assertThat(server.uri())
                    .isEqualTo("mongodb://127.0.0.1:" + server.port() + "/?directConnection=true");
            assertThat(server.dataFile()).isNull();

            MongoCollection<Document> collection = client.getDatabase("db").getCollection("c");
            collection.insertOne(new Document("_id", 1).append("v", "before"));
            try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream =
                    collection.watch().cursor()) {
                collection.insertOne(new Document("_id", 2).append("v", "after"));
                ChangeStreamDocument<Document> event = nextEvent(stream);
                assertThat(event.getOperationTypeString()).isEqualTo("insert");
                assertThat(event.getFullDocument()).containsEntry("_id", 2);
            }
        }
    }

    @Test
    void startsOnTheRequestedPort() throws IOException {
        int port = Ports.free();
        try (EmbeddedMongoServer server = EmbeddedMongoServer.start("127.0.0.1", port, null);
                MongoClient client = MongoClients.create(server.uri())) {
            assertThat(server.port()).isEqualTo(port);
            client.getDatabase("db").getCollection("c").insertOne(new Document("x", 1));
            assertThat(client.getDatabase("db").getCollection("c").countDocuments()).isEqualTo(1);
        }
    }

    @Test
    void h2FileKeepsDataIndexesAndResumeTokensAcrossRestart(@TempDir Path dir) {
        Path file = dir.resolve("data/demo.mv");
        BsonDocument token;
        try (EmbeddedMongoServer server = EmbeddedMongoServer.start("127.0.0.1", 0, file);
                MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> collection =
                    client.getDatabase("shop").getCollection("items");
            collection.createIndex(
                    Indexes.ascending("sku"), new IndexOptions().unique(true).name("sku_1"));
            try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream =
                    collection.watch().cursor()) {
                List<Document> docs = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    docs.add(new Document("_id", i).append("sku", "SKU-" + i));
                }
                collection.insertMany(docs);
                ChangeStreamDocument<Document> first = nextEvent(stream);
                assertThat(first.getFullDocument()).containsEntry("_id", 0);
                token = first.getResumeToken();
            }
        }
        assertThat(file).exists();

        try (EmbeddedMongoServer server = EmbeddedMongoServer.start("127.0.0.1", 0, file);
                MongoClient client = MongoClients.create(server.uri())) {
            MongoCollection<Document> collection =
                    client.getDatabase("shop").getCollection("items");
            assertThat(collection.countDocuments()).isEqualTo(100);
            assertThat(collection.find(new Document("_id", 42)).first())
                    .containsEntry("sku", "SKU-42");
            List<String> indexNames = new ArrayList<>();
            collection.listIndexes().forEach(index -> indexNames.add(index.getString("name")));
            assertThat(indexNames).contains("sku_1");

            // The oplog survived too: resuming after the first event replays the second one.
            try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream =
                    collection.watch().startAfter(token).cursor()) {
                ChangeStreamDocument<Document> second = nextEvent(stream);
                assertThat(second.getFullDocument()).containsEntry("_id", 1);
            }
        }
    }

    private static ChangeStreamDocument<Document> nextEvent(
            MongoChangeStreamCursor<ChangeStreamDocument<Document>> stream) {
        long deadline = System.currentTimeMillis() + EVENT_WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            ChangeStreamDocument<Document> event = stream.tryNext();
            if (event != null) {
                return event;
            }
        }
        throw new AssertionError("no change event within " + EVENT_WAIT_MILLIS + " ms");
    }
}
