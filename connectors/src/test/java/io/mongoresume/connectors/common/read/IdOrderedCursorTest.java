package io.mongoresume.connectors.common.read;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import io.mongoresume.connectors.snapshot.query.IdComparator;
import io.mongoresume.connectors.testutils.HugeDocuments;
import io.mongoresume.connectors.testutils.MongoTestServer;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shrinking cursor and the document-size probe against the embedded server, which (unlike a
 * real mongod) puts a whole batch into one reply.
 */
class IdOrderedCursorTest {

    private static MongoTestServer server;
    private static MongoClient client;
    private static final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        server = MongoTestServer.embedded();
        CommandListener finds =
                new CommandListener() {
                    @Override
                    public void commandStarted(CommandStartedEvent event) {
                        if (event.getCommandName().equals("find")) {
                            BsonDocument command = event.getCommand();
                            batchSizes.add(
                                    command.containsKey("batchSize")
                                            ? command.getNumber("batchSize").intValue()
                                            : 0);
                        }
                    }
                };
        client =
                MongoClients.create(
                        MongoClientSettings.builder()
                                .applyConnectionString(new ConnectionString(server.uri()))
                                .addCommandListener(finds)
                                .build());
        // ids 0-39, all small but 20, 21 and 22
        HugeDocuments.insertThreeAmongSmall(
                client.getDatabase("read").getCollection("huge", BsonDocument.class), 40, 20, "s");
        client.getDatabase("read").createCollection("empty");
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static MongoCollection<RawBsonDocument> huge() {
        return client.getDatabase("read").getCollection("huge", RawBsonDocument.class);
    }

    @Test
    void aRefusedReplyIsQueriedAgainAfterTheLastIdWithHalvedBatches() {
        batchSizes.clear();
        List<String> shrinks = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        try (IdOrderedCursor cursor =
                IdOrderedCursor.resumingAfter(
                        (after, batch) ->
                                huge().find(
                                                after == null
                                                        ? Filters.empty()
                                                        : Filters.gt("_id", after))
                                        .sort(Sorts.ascending("_id"))
                                        .batchSize(batch)
                                        .iterator(),
                        40,
                        (reply, from, to) -> shrinks.add(from + "->" + to))) {
            cursor.forEachRemaining(d -> ids.add(d.getInt32("_id").getValue()));
            assertThat(cursor.batchSize()).isEqualTo(2);
        }
        assertThat(ids).hasSize(40).isSorted().doesNotHaveDuplicates();
        assertThat(shrinks).containsExactly("40->20", "20->10", "10->5", "5->2");
        assertThat(batchSizes).containsExactly(40, 20, 10, 5, 2);
    }

    @Test
    void aQueryWithoutAnAfterFilterIsIssuedAgainAndSkipsWhatItReturned() {
        List<Integer> ids = new ArrayList<>();
        List<Integer> shrinks = new ArrayList<>();
        try (IdOrderedCursor cursor =
                IdOrderedCursor.skippingTo(
                        (after, batch) -> {
                            assertThat(after).isNull();
                            return huge().find()
                                    .sort(Sorts.ascending("_id"))
                                    .batchSize(batch)
                                    .iterator();
                        },
                        8,
                        IdComparator.INSTANCE,
                        (reply, from, to) -> shrinks.add(to))) {
            cursor.forEachRemaining(d -> ids.add(d.getInt32("_id").getValue()));
        }
        assertThat(ids).hasSize(40).isSorted().doesNotHaveDuplicates();
        assertThat(shrinks).containsExactly(4, 2);
    }

    @Test
    void otherErrorsPropagate() {
        IdOrderedCursor cursor =
                IdOrderedCursor.resumingAfter(
                        (after, batch) -> {
                            throw new MongoException(13, "not authorized");
                        },
                        10,
                        (reply, from, to) -> {});
        assertThatThrownBy(cursor::hasNext).hasMessageContaining("not authorized");
    }

    @Test
    void documentSizeComesFromCollStatsOrAMeasure() {
        MongoDatabase db = client.getDatabase("read");
        DocumentSize stats = DocumentSize.measure(db, "huge");
        assertThat(stats.source()).isEqualTo("collStats");
        // 3 x 15.5 MiB and 37 small ones
        assertThat(stats.averageBytes()).isBetween(1_200_000L, 1_250_000L);
        assertThat(stats.batchSize(100)).isEqualTo(6);

        DocumentSize measured = DocumentSize.measureFirstDocuments(db, "huge");
        assertThat(measured.source()).isEqualTo("10 documents measured");
        assertThat(measured.averageBytes()).isBetween(20L, 40L);

        DocumentSize empty = DocumentSize.measure(db, "empty");
        assertThat(empty.known()).isFalse();
        assertThat(empty.batchSize(100)).isEqualTo(100);
        assertThat(empty.toString()).isEqualTo("unknown (no statistics, no documents)");
    }
}
