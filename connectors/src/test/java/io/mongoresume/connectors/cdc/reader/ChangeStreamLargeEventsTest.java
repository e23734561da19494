package io.mongoresume.connectors.cdc.reader;

import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.mongoresume.connectors.cdc.split.ChangeStreamSplit;
import io.mongoresume.connectors.common.UnrecoverableException;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.testutils.LogCapture;
import io.mongoresume.connectors.testutils.MongoTestServer;
import org.apache.logging.log4j.Level;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Change events near the size limits, against the embedded server, which puts a whole getMore batch
 * into one reply (and there sends an update's spec as its documentKey, so a 15 MB update makes a 30
 * MB event): a batch of them is longer than the driver accepts (48 MB). A fresh server per test:
 * its oplog keeps every entry.
 */
class ChangeStreamLargeEventsTest {

    private static final int MB15 = 15_000_000;

    private MongoTestServer server;
    private MongoClient mongo;
    private MongoConnectionOptions connection;

    @BeforeEach
    void startServer() {
        server = MongoTestServer.embedded();
        mongo = MongoClients.create(server.uri());
        connection = MongoConnectionOptions.of(server.uri(), 10_000);
    }

    @AfterEach
    void stopServer() {
        mongo.close();
        server.close();
    }

    @Test
    void eventsTooLargeForOneReplyTogetherArriveOnceAndInOrder() throws Exception {
        String db = MongoTestServer.freshDatabaseName("large");
        MongoCollection<Document> big = mongo.getDatabase(db).getCollection("big");
        BsonTimestamp start = new BsonTimestamp((int) Instant.now().getEpochSecond() - 1, 0);
        big.insertOne(new Document("_id", 1).append("n", 0));
        List<String> expected = new ArrayList<>(List.of("INSERT 1"));
        for (int i = 1; i <= 4; i++) {
            big.updateOne(
                    Filters.eq("_id", 1),
                    Updates.combine(Updates.set("blob", blob(i)), Updates.set("n", i)));
            big.insertOne(new Document("_id", "small-" + i));
            expected.add("UPDATE 1");
            expected.add("INSERT \"small-" + i + '"');
        }

        try (LogCapture log = LogCapture.of(ChangeStreamSplitReader.class);
                ChangeStreamSplitReader reader =
                        reader(new ChangeStreamSplit(db, "big", null, start))) {
            List<ChangeStreamRecord> events = readUntilCaughtUp(reader);
            assertThat(describe(events)).containsExactlyElementsOf(expected);
            assertStrictlyAscending(events);
            // The updates carry the document as it is when read: the last version, 15 MB.
            assertThat(events.get(1).event().document().getInt32("n").getValue()).isEqualTo(4);
            List<LogCapture.Line> shrinks = new ArrayList<>(log.lines(Level.INFO));
            shrinks.removeIf(line -> !line.message.contains("the driver refused"));
            assertThat(shrinks).as("logged once per collection").hasSize(1);
            assertThat(shrinks.get(0).message)
                    .contains(db + ".big")
                    .contains("for a batch of 100 events")
                    .contains("in batches of 50");

            // Resuming after the first small insert yields exactly the rest, through smaller
            // batches again.
            ChangeStreamRecord resumePoint = events.get(2);
            try (ChangeStreamSplitReader resumed =
                    reader(
                            new ChangeStreamSplit(
                                    db,
                                    "big",
                                    resumePoint.resumeToken(),
                                    resumePoint.clusterTime()))) {
                List<ChangeStreamRecord> rest = readUntilCaughtUp(resumed);
                assertThat(describe(rest))
                        .containsExactlyElementsOf(expected.subList(3, expected.size()));
                assertThat(rest.get(rest.size() - 1).resumeToken())
                        .isEqualTo(events.get(events.size() - 1).resumeToken());
            }

            // Caught up, the stream is back to full batches: small events arrive 100 (fetchSize) at
            // a time.
            for (int i = 0; i < 150; i++) {
                big.insertOne(new Document("_id", "later-" + i));
            }
            assertThat(readUntilEvents(reader)).hasSize(100);
        }
    }

    @Test
    void anEventTooLargeEvenAloneFailsTheReaderNamingItsDocument() {
        String db = MongoTestServer.freshDatabaseName("huge");
        MongoCollection<Document> big = mongo.getDatabase(db).getCollection("big");
        BsonTimestamp start = new BsonTimestamp((int) Instant.now().getEpochSecond() - 1, 0);
        big.insertOne(new Document("_id", 1));
        // The embedded server lets a document grow past 16 MB: 60 MB, and every update event looks
        // it up.
        for (int i = 1; i <= 4; i++) {
            big.updateOne(Filters.eq("_id", 1), Updates.set("blob" + i, blob(i)));
        }
        try (ChangeStreamSplitReader reader =
                new ChangeStreamSplitReader(connection, true, 2, null)) {
            reader.handleSplitsChanges(
                    new SplitsAddition<>(List.of(new ChangeStreamSplit(db, "big", null, start))));
            assertThatThrownBy(
                            () -> {
                                for (int i = 0; i < 10; i++) {
                                    reader.fetch();
                                }
                            })
                    .isInstanceOf(ChangeEventTooLargeException.class)
                    .isInstanceOf(UnrecoverableException.class)
                    .hasMessageContaining(
                            "The change stream of "
                                    + db
                                    + ".big cannot deliver its next change, which comes after")
                    .hasMessageContaining("even alone it came in a reply of")
                    .hasMessageContaining("more than the MongoDB driver accepts (48000000 bytes")
                    .hasMessageContaining(
                            "the next change of " + db + ".big is an update of {\"_id\": 1}")
                    .hasMessageContaining("Reduce that document at the source")
                    .hasMessageContaining("The change was not skipped");
        }
    }

    private ChangeStreamSplitReader reader(ChangeStreamSplit split) {
        ChangeStreamSplitReader reader = new ChangeStreamSplitReader(connection, true, 100, null);
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
        return reader;
    }

    /** The events up to the stream's first caught-up marker. */
    private static List<ChangeStreamRecord> readUntilCaughtUp(ChangeStreamSplitReader reader)
            throws Exception {
        List<ChangeStreamRecord> events = new ArrayList<>();
        for (int fetches = 0; fetches < 100; fetches++) {
            if (drainInto(reader.fetch(), events)) {
                return events;
            }
        }
        throw new AssertionError("The stream did not catch up; read " + describe(events));
    }

    /** The events of the first fetch that has any. */
    private static List<ChangeStreamRecord> readUntilEvents(ChangeStreamSplitReader reader)
            throws Exception {
        List<ChangeStreamRecord> events = new ArrayList<>();
        for (int fetches = 0; fetches < 20 && events.isEmpty(); fetches++) {
            drainInto(reader.fetch(), events);
        }
        return events;
    }

    /** Adds the records with an event; returns whether a caught-up marker came. */
    private static boolean drainInto(
            RecordsWithSplitIds<ChangeStreamRecord> records, List<ChangeStreamRecord> events) {
        boolean caughtUp = false;
        while (records.nextSplit() != null) {
            ChangeStreamRecord record;
            while ((record = records.nextRecordFromSplit()) != null) {
                if (record.event() != null) {
                    events.add(record);
                }
                caughtUp |= record.caughtUp();
            }
        }
        return caughtUp;
    }

    private static List<String> describe(List<ChangeStreamRecord> records) {
        List<String> described = new ArrayList<>();
        for (ChangeStreamRecord record : records) {
            String id = new BsonDocument("_id", record.event().id()).toJson();
            described.add(
                    record.event().kind()
                            + " "
                            + id.substring("{\"_id\": ".length(), id.length() - 1));
        }
        return described;
    }

    private static void assertStrictlyAscending(List<ChangeStreamRecord> events) {
        for (int i = 1; i < events.size(); i++) {
            BsonTimestamp previous = events.get(i - 1).clusterTime();
            BsonTimestamp current = events.get(i).clusterTime();
            assertThat(current).as("cluster time of event %s", i).isGreaterThan(previous);
            BsonDocument token = events.get(i).resumeToken();
            assertThat(token).isNotEqualTo(events.get(i - 1).resumeToken());
        }
    }

    /** A 15 MB string that differs per version. */
    private static String blob(int version) {
        return String.valueOf((char) ('a' + version)).repeat(MB15);
    }
}
