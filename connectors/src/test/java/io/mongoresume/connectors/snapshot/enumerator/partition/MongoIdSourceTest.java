package io.mongoresume.connectors.snapshot.enumerator.partition;

import org.apache.flink.util.CloseableIterator;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoQueryException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.snapshot.SnapshotTestData;
import io.mongoresume.connectors.snapshot.query.IdComparator;
import io.mongoresume.connectors.snapshot.query.TypeAliasSupport;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the embedded server does with the snapshot source's queries (findings kept as tests): {@code
 * $type} with an array of aliases works and sorts correctly within a bracket; it rejects the
 * aliases {@code symbol}, {@code undefined}, {@code javascript}, {@code javascriptWithScope},
 * {@code dbPointer} (BadValue), which {@link TypeAliasSupport} detects and leaves out; it
 * range-filters binaries of different subtypes as different types, which {@link
 * MongoIdSource#rangeFilterConsistent} detects.
 */
class MongoIdSourceTest {

    private static final List<CommandStartedEvent> COMMANDS = new CopyOnWriteArrayList<>();

    private static io.mongoresume.connectors.testutils.MongoTestServer server;
    private static MongoClient client;
    private static MongoCollection<RawBsonDocument> mixed;
    private static List<BsonValue> ids;

    @BeforeAll
    static void start() {
        server = io.mongoresume.connectors.testutils.MongoTestServer.embedded();
        client =
                MongoClients.create(
                        MongoClientSettings.builder()
                                .applyConnectionString(new ConnectionString(server.uri()))
                                .addCommandListener(
                                        new CommandListener() {
                                            @Override
                                            public void commandStarted(CommandStartedEvent event) {
                                                COMMANDS.add(event);
                                            }
                                        })
                                .build());
        MongoCollection<BsonDocument> coll =
                client.getDatabase("ids").getCollection("mixed", BsonDocument.class);
        ids = SnapshotTestData.mixedIds(50);
        SnapshotTestData.insertAll(coll, ids);
        mixed = coll.withDocumentClass(RawBsonDocument.class);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void countScanIsOneOrderedIdOnlyQueryWithoutSkip() throws Exception {
        MongoIdSource source = new MongoIdSource(mixed, new TypeAliasSupport());
        COMMANDS.clear();
        List<BsonValue> scanned = new ArrayList<>();
        try (CloseableIterator<BsonValue> it = source.scanIds(CountScanPosition.START)) {
            it.forEachRemaining(scanned::add);
        }
        List<CommandStartedEvent> finds =
                COMMANDS.stream().filter(c -> c.getCommandName().equals("find")).toList();
        assertThat(finds).hasSize(1);
        BsonDocument find = finds.get(0).getCommand();
        assertThat(find.getDocument("sort")).isEqualTo(new BsonDocument("_id", new BsonInt32(1)));
        assertThat(find.getDocument("projection"))
                .isEqualTo(new BsonDocument("_id", new BsonInt32(1)));
        assertThat(find.containsKey("skip")).isFalse();
        assertThat(scanned).hasSameSizeAs(ids);

        // The embedded server sorts brackets in MongoDB's order; within a bracket our comparator
        // agrees
        // except for embedded documents (it compares values before field names).
        List<BsonValue> expected = new ArrayList<>(ids);
        expected.sort(IdComparator.INSTANCE);
        List<BsonValue> brackets = new ArrayList<>();
        assertThat(scanned.stream().map(v -> TypeBracket.of(v.getBsonType())).toList())
                .isSortedAccordingTo(java.util.Comparator.naturalOrder());
        for (TypeBracket b :
                List.of(
                        TypeBracket.NUMBER,
                        TypeBracket.STRING,
                        TypeBracket.OBJECT_ID,
                        TypeBracket.BINARY,
                        TypeBracket.DATE)) {
            assertThat(scanned.stream().filter(v -> TypeBracket.of(v.getBsonType()) == b).toList())
                    .as("%s", b)
                    .containsExactlyElementsOf(
                            expected.stream()
                                    .filter(v -> TypeBracket.of(v.getBsonType()) == b)
                                    .toList());
        }
    }

    @Test
    void typeArrayFilterSelectsExactlyTheBracketAndMinMaxWork() {
        TypeAliasSupport aliases = new TypeAliasSupport();
        MongoIdSource source = new MongoIdSource(mixed, aliases);
        for (TypeBracket bracket :
                List.of(
                        TypeBracket.NUMBER,
                        TypeBracket.STRING,
                        TypeBracket.OBJECT_ID,
                        TypeBracket.DATE,
                        TypeBracket.BOOLEAN,
                        TypeBracket.MIN_KEY,
                        TypeBracket.NULL)) {
            List<BsonValue> inBracket =
                    ids.stream()
                            .filter(v -> TypeBracket.of(v.getBsonType()) == bracket)
                            .sorted(IdComparator.INSTANCE)
                            .toList();
            assertThat(source.minId(bracket)).as("min %s", bracket).isEqualTo(inBracket.get(0));
            assertThat(source.maxId(bracket))
                    .as("max %s", bracket)
                    .isEqualTo(inBracket.get(inBracket.size() - 1));
        }
        // Without a bracket: the edges of the whole collection, in the server's type order.
        List<BsonValue> all = ids.stream().sorted(IdComparator.INSTANCE).toList();
        assertThat(source.minId(null)).isEqualTo(all.get(0));
        assertThat(source.maxId(null)).isEqualTo(all.get(all.size() - 1));
        assertThat(aliases.aliases(TypeBracket.STRING)).containsExactly("string");
        assertThat(aliases.aliases(TypeBracket.NULL)).containsExactly("null");
        assertThat(aliases.aliases(TypeBracket.OTHER)).isEmpty();
        assertThat(aliases.aliases(TypeBracket.NUMBER))
                .containsExactly("int", "long", "double", "decimal");
    }

    @Test
    void embeddedServerRejectsSomeAliases() {
        BsonDocument filter =
                new BsonDocument(
                        "_id",
                        new BsonDocument(
                                "$type",
                                new BsonArray(
                                        List.of(
                                                new BsonString("string"),
                                                new BsonString("symbol")))));
        assertThatThrownBy(() -> mixed.find(filter).first())
                .isInstanceOf(MongoQueryException.class)
                .hasMessageContaining("Unknown type name alias: symbol");
    }

    @Test
    void detectsThatBinarySubtypesCannotBeRangeFilteredTogether() {
        MongoCollection<BsonDocument> bins =
                client.getDatabase("ids").getCollection("bins", BsonDocument.class);
        bins.insertOne(new BsonDocument("_id", new BsonBinary(new byte[] {1})));
        bins.insertOne(new BsonDocument("_id", new BsonBinary(UUID.randomUUID())));
        MongoIdSource mixedSubtypes =
                new MongoIdSource(
                        bins.withDocumentClass(RawBsonDocument.class), new TypeAliasSupport());
        BsonValue min = mixedSubtypes.minId(TypeBracket.BINARY);
        assertThat(mixedSubtypes.rangeFilterConsistent(TypeBracket.BINARY, min)).isFalse();

        MongoCollection<BsonDocument> uuids =
                client.getDatabase("ids").getCollection("uuids", BsonDocument.class);
        uuids.insertOne(new BsonDocument("_id", new BsonBinary(UUID.randomUUID())));
        uuids.insertOne(new BsonDocument("_id", new BsonBinary(UUID.randomUUID())));
        MongoIdSource oneSubtype =
                new MongoIdSource(
                        uuids.withDocumentClass(RawBsonDocument.class), new TypeAliasSupport());
        assertThat(
                        oneSubtype.rangeFilterConsistent(
                                TypeBracket.BINARY, oneSubtype.minId(TypeBracket.BINARY)))
                .isTrue();
    }
}
