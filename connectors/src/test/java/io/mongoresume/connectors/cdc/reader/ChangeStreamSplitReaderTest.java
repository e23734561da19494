package io.mongoresume.connectors.cdc.reader;

import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;

import com.mongodb.client.MongoDatabase;
import io.mongoresume.connectors.cdc.offset.StartPosition;
import io.mongoresume.connectors.cdc.split.ChangeStreamSplit;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.testutils.MongoServerExtension;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.connectors.testutils.Pause;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The multiplexing split reader against the embedded server. */
class ChangeStreamSplitReaderTest {

    @RegisterExtension
    static final MongoServerExtension SERVER = new MongoServerExtension(MongoTestServer::embedded);

    @Test
    void readsAllStreamsInTurnsAndResumesAfterTheLastToken() throws Exception {
        String dbName = MongoTestServer.freshDatabaseName("reader");
        MongoDatabase db = SERVER.client().getDatabase(dbName);
        BsonTimestamp start = new BsonTimestamp((int) Instant.now().getEpochSecond() - 1, 0);
        for (int i = 0; i < 150; i++) {
            db.getCollection("a").insertOne(new Document("_id", i));
            db.getCollection("b").insertOne(new Document("_id", i));
        }
        MongoConnectionOptions connection = MongoConnectionOptions.of(SERVER.server().uri(), 5_000);
        Map<String, List<ChangeStreamRecord>> bySplit = new HashMap<>();
        try (ChangeStreamSplitReader reader =
                new ChangeStreamSplitReader(connection, true, 100, null)) {
            reader.handleSplitsChanges(
                    new SplitsAddition<>(
                            List.of(
                                    new ChangeStreamSplit(dbName, "a", null, start),
                                    new ChangeStreamSplit(dbName, "b", null, start))));
            // The first fetch serves both collections, at most fetchSize entries each.
            Map<String, List<ChangeStreamRecord>> first = drain(reader.fetch());
            assertThat(first.keySet()).containsExactlyInAnyOrder(dbName + ".a", dbName + ".b");
            assertThat(first.get(dbName + ".a")).hasSize(100);
            merge(bySplit, first);
            // The next fetch hands over what one round trip brought (the other 50) without asking
            // the
            // server again; the stream's empty answer, and so the caught-up marker, comes with the
            // fetch after.
            Map<String, List<ChangeStreamRecord>> second = drain(reader.fetch());
            assertThat(events(second.get(dbName + ".a"))).hasSize(50);
            assertThat(second.get(dbName + ".a")).noneMatch(ChangeStreamRecord::caughtUp);
            merge(bySplit, second);
            Map<String, List<ChangeStreamRecord>> third = drain(reader.fetch());
            assertThat(third.get(dbName + ".a")).anyMatch(ChangeStreamRecord::caughtUp);
            merge(bySplit, third);

            List<ChangeStreamRecord> a = bySplit.get(dbName + ".a");
            assertThat(events(a)).hasSize(150);
            assertThat(a.get(a.size() - 1).caughtUp()).isTrue();

            // wakeUp ends an idle fetch early.
            CompletableFuture<Void> waker =
                    CompletableFuture.runAsync(
                            () -> {
                                Pause.millis(50);
                                reader.wakeUp();
                            });
            long began = System.nanoTime();
            assertThat(reader.fetch().nextSplit()).isNull();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began)).isLessThan(400);
            waker.get();
        }

        // Resuming after the 100th event of a yields exactly the 50 after it.
        ChangeStreamRecord hundredth = bySplit.get(dbName + ".a").get(99);
        try (ChangeStreamSplitReader reader =
                new ChangeStreamSplitReader(connection, true, 100, null)) {
            reader.handleSplitsChanges(
                    new SplitsAddition<>(
                            List.of(
                                    new ChangeStreamSplit(
                                            dbName,
                                            "a",
                                            hundredth.resumeToken(),
                                            hundredth.clusterTime()))));
            List<MigrationEvent> rest = events(drain(reader.fetch()).get(dbName + ".a"));
            assertThat(rest).hasSize(50);
            assertThat(rest.get(0).id().asInt32().getValue()).isEqualTo(100);
        }
    }

    @Test
    void aStartTheSourceRefusesNamesWhatGaveIt() {
        String dbName = MongoTestServer.freshDatabaseName("origin");
        SERVER.client().getDatabase(dbName).getCollection("a").insertOne(new Document("_id", 1));
        BsonDocument token = BsonDocument.parse("{_data: 'zz'}");
        StartPosition start = StartPosition.resumeToken(token).withOrigin("cdc.resume-token");
        MongoConnectionOptions connection = MongoConnectionOptions.of(SERVER.server().uri(), 5_000);
        try (ChangeStreamSplitReader reader =
                new ChangeStreamSplitReader(connection, true, 100, start)) {
            reader.handleSplitsChanges(
                    new SplitsAddition<>(List.of(new ChangeStreamSplit(dbName, "a", token, null))));
            // Every server refuses this token (the embedded one with code -1 while opening).
            assertThatThrownBy(reader::fetch)
                    .isInstanceOf(ChangeStreamPositionLostException.class)
                    .hasMessageContaining("of " + dbName + ".a")
                    .hasMessageContaining("given by cdc.resume-token")
                    .hasMessageContaining("Check cdc.resume-token");
        }
    }

    private static Map<String, List<ChangeStreamRecord>> drain(
            RecordsWithSplitIds<ChangeStreamRecord> records) {
        Map<String, List<ChangeStreamRecord>> bySplit = new HashMap<>();
        String split;
        while ((split = records.nextSplit()) != null) {
            ChangeStreamRecord record;
            while ((record = records.nextRecordFromSplit()) != null) {
                bySplit.computeIfAbsent(split, s -> new ArrayList<>()).add(record);
            }
        }
        return bySplit;
    }

    private static void merge(
            Map<String, List<ChangeStreamRecord>> into,
            Map<String, List<ChangeStreamRecord>> from) {
        from.forEach((k, v) -> into.computeIfAbsent(k, s -> new ArrayList<>()).addAll(v));
    }

    private static List<MigrationEvent> events(List<ChangeStreamRecord> records) {
        List<MigrationEvent> events = new ArrayList<>();
        for (ChangeStreamRecord record : records) {
            if (record.event() != null) {
                events.add(record.event());
            }
        }
        return events;
    }
}
