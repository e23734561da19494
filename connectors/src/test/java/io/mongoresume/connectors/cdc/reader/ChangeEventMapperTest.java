package io.mongoresume.connectors.cdc.reader;

import io.mongoresume.connectors.cdc.reader.ChangeEventMapper.Action;
import io.mongoresume.connectors.cdc.reader.ChangeEventMapper.Mapped;
import io.mongoresume.connectors.event.EventKind;
import io.mongoresume.connectors.event.MigrationEvent;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonTimestamp;
import org.bson.RawBsonDocument;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Entries shaped like real MongoDB's (6.0) and like the embedded test server's (no ns, quirky
 * documentKey).
 */
class ChangeEventMapperTest {

    private static final String REAL_HEADER =
            "_id: {_data: '826560A1B2000000012B022C0100296E5A1004'},"
                    + " clusterTime: {$timestamp: {t: 1700000000, i: 1}},"
                    + " wallTime: {$date: '2023-11-14T22:13:20.123Z'},"
                    + " ns: {db: 'shop', coll: 'orders'},";

    /** A real server's entry of shop.orders: its header, then {@code fields}. */
    private static String real(String fields) {
        return "{" + REAL_HEADER + fields + "}";
    }

    private static Mapped map(String json) {
        // Raw, as the reader decodes it.
        return ChangeEventMapper.map("shop", "orders", RawBsonDocument.parse(json));
    }

    @Test
    void realInsertUpdateReplaceDelete() {
        ObjectId id = new ObjectId();
        String oid = "{$oid: '" + id.toHexString() + "'}";
        String key = "documentKey: {_id: " + oid + "},";

        Mapped insert =
                map(real(key + " operationType: 'insert', fullDocument: {_id: " + oid + ", a: 1}"));
        assertThat(insert.action()).isEqualTo(Action.EMIT);
        MigrationEvent event = insert.event();
        assertThat(event.kind()).isEqualTo(EventKind.INSERT);
        assertThat(event.namespace()).isEqualTo("shop.orders");
        assertThat(event.id().asObjectId().getValue()).isEqualTo(id);
        assertThat(event.document().getInt32("a").getValue()).isEqualTo(1);
        assertThat(event.sourceTimeMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(insert.resumeToken().getString("_data").getValue()).startsWith("8265");
        assertThat(insert.clusterTime()).isEqualTo(new BsonTimestamp(1_700_000_000, 1));

        Mapped update =
                map(
                        real(
                                key
                                        + " operationType: 'update',"
                                        + " updateDescription: {updatedFields: {a: 2}, removedFields: []},"
                                        + " fullDocument: {_id: "
                                        + oid
                                        + ", a: 2, b: 'x'}"));
        assertThat(update.event().kind()).isEqualTo(EventKind.UPDATE);
        assertThat(update.event().document().getString("b").getValue()).isEqualTo("x");

        Mapped replace =
                map(
                        real(
                                key
                                        + " operationType: 'replace',"
                                        + " fullDocument: {_id: "
                                        + oid
                                        + ", z: 9}"));
        assertThat(replace.event().kind()).isEqualTo(EventKind.UPDATE);
        assertThat(replace.event().document().keySet()).containsExactly("_id", "z");

        Mapped delete = map(real(key + " operationType: 'delete'"));
        assertThat(delete.event().kind()).isEqualTo(EventKind.DELETE);
        assertThat(delete.event().id().asObjectId().getValue()).isEqualTo(id);
        assertThat(delete.event().documentBytes()).isNull();
    }

    /** Entries that move the position and emit nothing. */
    static Stream<Arguments> entriesWithoutAnEvent() {
        return Stream.of(
                Arguments.of(
                        "real update whose document is gone",
                        real(
                                " documentKey: {_id: 5}, operationType: 'update',"
                                        + " updateDescription: {updatedFields: {a: 2}, removedFields: []}, fullDocument: null"),
                        Action.SKIP),
                Arguments.of(
                        "real invalidate",
                        "{_id: {_data: '8265'}, clusterTime: {$timestamp: {t: 1700000000, i: 2}}, operationType: 'invalidate'}",
                        Action.INVALIDATE),
                Arguments.of(
                        "real createIndexes",
                        real(" operationType: 'createIndexes', operationDescription: {}"),
                        Action.SKIP),
                // The document was deleted before the stream was read: the embedded test server
                // applies the update spec to {}.
                testServerBogusLookup("{b: 2}"),
                testServerBogusLookup("{}"),
                testServerBogusLookup("{z: ''}"));
    }

    private static Arguments testServerBogusLookup(String fullDocument) {
        return Arguments.of(
                "test server's bogus lookup of a deleted document: " + fullDocument,
                "{_id: {_data: '6b07f32d00000002'}, operationType: 'update', fullDocument: "
                        + fullDocument
                        + ", documentKey: {$set: {b: 2}}, clusterTime: {$timestamp: {t: 1795683117, i: 2}}}",
                Action.SKIP);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entriesWithoutAnEvent")
    void entryWithoutAnEventMovesThePosition(String entry, String json, Action action) {
        Mapped mapped = map(json);
        assertThat(mapped.action()).isEqualTo(action);
        assertThat(mapped.event()).isNull();
        assertThat(mapped.resumeToken()).isNotNull();
    }

    /** Collection events of shop.orders: no document, no _id. */
    static Stream<Arguments> ddlEntries() {
        return Stream.of(
                Arguments.of(
                        "real drop",
                        real(" operationType: 'drop'"),
                        Action.EMIT,
                        EventKind.DROP_COLLECTION),
                Arguments.of(
                        "real rename, a drop of the old name",
                        real(" operationType: 'rename', to: {db: 'shop', coll: 'orders_old'}"),
                        Action.EMIT,
                        EventKind.DROP_COLLECTION),
                Arguments.of(
                        "real rename into another database, a drop of the old name",
                        real(" operationType: 'rename', to: {db: 'archive', coll: 'orders'}"),
                        Action.EMIT,
                        EventKind.DROP_COLLECTION),
                Arguments.of(
                        "real create",
                        real(" operationType: 'create'"),
                        Action.EMIT,
                        EventKind.CREATE_COLLECTION),
                Arguments.of(
                        "test server's drop without ns needs checking",
                        "{_id: {_data: '6b07f34f00000003'}, operationType: 'drop',"
                                + " clusterTime: {$timestamp: {t: 1795683151, i: 3}}}",
                        Action.EMIT_IF_OWN_DROP,
                        EventKind.DROP_COLLECTION));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ddlEntries")
    void ddl(String entry, String json, Action action, EventKind kind) {
        Mapped mapped = map(json);
        assertThat(mapped.action()).isEqualTo(action);
        assertThat(mapped.event().kind()).isEqualTo(kind);
        assertThat(mapped.event().database()).isEqualTo("shop");
        assertThat(mapped.event().collection()).isEqualTo("orders");
        assertThat(mapped.event().idBytes()).isNull();
    }

    @Test
    void wallTimeWhenNoClusterTime() {
        Mapped insert =
                map(
                        "{_id: {_data: '01'}, wallTime: {$date: '2023-11-14T22:13:20.123Z'}, operationType: 'insert',"
                                + " documentKey: {_id: 1}, fullDocument: {_id: 1}}");
        assertThat(insert.event().sourceTimeMillis()).isEqualTo(1_700_000_000_123L);
    }

    @Test
    void entryOfAnotherCollectionIsIgnored() {
        Mapped drop =
                ChangeEventMapper.map(
                        "shop", "customers", BsonDocument.parse(real(" operationType: 'drop'")));
        assertThat(drop.action()).isEqualTo(Action.SKIP);
    }

    @Test
    void entryOfTheSameCollectionNameInAnotherDatabaseIsIgnored() {
        // Selections span databases: shop.orders and sales.orders are different namespaces.
        Mapped drop =
                ChangeEventMapper.map(
                        "sales", "orders", BsonDocument.parse(real(" operationType: 'drop'")));
        assertThat(drop.action()).isEqualTo(Action.SKIP);
        assertThat(
                        ChangeEventMapper.map(
                                        "shop",
                                        "orders",
                                        BsonDocument.parse(real(" operationType: 'drop'")))
                                .action())
                .isEqualTo(Action.EMIT);
    }

    // --- embedded test server shapes (captured from mongo-java-server 1.47.0) ---

    /** Changes of the document {@code {_id: 1}} whose documentKey is not {@code {_id: 1}}. */
    static Stream<Arguments> testServerChangesOfDocument1() {
        return Stream.of(
                Arguments.of(
                        "a $set update takes the _id from fullDocument",
                        "{_id: {_data: '6b07f33e00000002'}, operationType: 'update',"
                                + " fullDocument: {_id: 1, a: 1, b: 2}, documentKey: {$set: {b: 2}},"
                                + " clusterTime: {$timestamp: {t: 1795683134, i: 2}}}",
                        EventKind.UPDATE,
                        1_795_683_134_000L),
                Arguments.of(
                        "a replace arrives as an update",
                        "{_id: {_data: '6b07f33e00000004'}, operationType: 'update',"
                                + " fullDocument: {_id: 1, z: 9}, documentKey: {_id: 1, z: 9},"
                                + " clusterTime: {$timestamp: {t: 1795683134, i: 4}}}",
                        EventKind.UPDATE,
                        1_795_683_134_000L),
                Arguments.of(
                        "a delete",
                        "{_id: {_data: '6b07f32d00000007'}, operationType: 'delete', fullDocument: null,"
                                + " documentKey: {_id: 1}, clusterTime: {$timestamp: {t: 1795683117, i: 7}}}",
                        EventKind.DELETE,
                        1_795_683_117_000L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("testServerChangesOfDocument1")
    void testServerChange(String entry, String json, EventKind kind, long sourceTimeMillis) {
        Mapped mapped = map(json);
        assertThat(mapped.action()).isEqualTo(Action.EMIT);
        assertThat(mapped.event().kind()).isEqualTo(kind);
        assertThat(mapped.event().id()).isEqualTo(new BsonInt32(1));
        assertThat(mapped.event().sourceTimeMillis()).isEqualTo(sourceTimeMillis);
    }

    @Test
    void changeWithoutIdFailsLoudly() {
        assertThatThrownBy(
                        () ->
                                map(
                                        "{_id: {_data: '01'}, operationType: 'delete', documentKey: {$set: {a: 1}}}"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shop.orders")
                .hasMessageContaining("documentKey._id");
        assertThatThrownBy(
                        () ->
                                map(
                                        "{_id: {_data: '01'}, operationType: 'insert', documentKey: {}, fullDocument: {a: 1}}"))
                .isInstanceOf(IllegalStateException.class);
    }
}
