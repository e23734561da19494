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

    private static Mapped map(String json) {
        // Raw, as the reader decodes it.
        return ChangeEventMapper.map("shop", "orders", RawBsonDocument.parse(json));
    }

    @Test
    void realInsertUpdateReplaceDelete() {
        ObjectId id = new ObjectId();
        String key = "documentKey: {_id: {$oid: '" + id.toHexString() + "'}},";

        Mapped insert =
                map(
                        "{"
                                + REAL_HEADER
                                + key
                                + " operationType: 'insert', fullDocument: {_id: {$oid: '"
                                + id.toHexString()
                                + "'}, a: 1}}");
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
                        "{"
                                + REAL_HEADER
                                + key
                                + " operationType: 'update',"
                                + " updateDescription: {updatedFields: {a: 2}, removedFields: []},"
                                + " fullDocument: {_id: {$oid: '"
                                + id.toHexString()
                                + "'}, a: 2, b: 'x'}}");
        assertThat(update.event().kind()).isEqualTo(EventKind.UPDATE);
        assertThat(update.event().document().getString("b").getValue()).isEqualTo("x");

        Mapped replace =
                map(
                        "{"
                                + REAL_HEADER
                                + key
                                + " operationType: 'replace',"
                                + " fullDocument: {_id: {$oid: '"
                                + id.toHexString()
                                + "'}, z: 9}}");
        assertThat(replace.event().kind()).isEqualTo(EventKind.UPDATE);
        assertThat(replace.event().document().keySet()).containsExactly("_id", "z");

        Mapped delete = map("{" + REAL_HEADER + key + " operationType: 'delete'}");
        assertThat(delete.event().kind()).isEqualTo(EventKind.DELETE);
        assertThat(delete.event().id().asObjectId().getValue()).isEqualTo(id);
        assertThat(delete.event().documentBytes()).isNull();
    }

    @Test
    void realUpdateWhoseDocumentIsGoneIsSkippedButMovesThePosition() {
        Mapped mapped =
                map(
                        "{"
                                + REAL_HEADER
                                + " documentKey: {_id: 5}, operationType: 'update',"
                                + " updateDescription: {updatedFields: {a: 2}, removedFields: []}, fullDocument: null}");
        assertThat(mapped.action()).isEqualTo(Action.SKIP);
        assertThat(mapped.event()).isNull();
        assertThat(mapped.resumeToken()).isNotNull();
    }

    @Test
    void realDdl() {
        Mapped drop = map("{" + REAL_HEADER + " operationType: 'drop'}");
        assertThat(drop.action()).isEqualTo(Action.EMIT);
        assertThat(drop.event().kind()).isEqualTo(EventKind.DROP_COLLECTION);
        assertThat(drop.event().idBytes()).isNull();

        Mapped rename =
                map(
                        "{"
                                + REAL_HEADER
                                + " operationType: 'rename', to: {db: 'shop', coll: 'orders_old'}}");
        assertThat(rename.event().kind()).isEqualTo(EventKind.DROP_COLLECTION);
        assertThat(rename.event().collection()).isEqualTo("orders");

        Mapped create = map("{" + REAL_HEADER + " operationType: 'create'}");
        assertThat(create.event().kind()).isEqualTo(EventKind.CREATE_COLLECTION);

        Mapped invalidate =
                map(
                        "{_id: {_data: '8265'}, clusterTime: {$timestamp: {t: 1700000000, i: 2}}, operationType: 'invalidate'}");
        assertThat(invalidate.action()).isEqualTo(Action.INVALIDATE);
        assertThat(invalidate.event()).isNull();

        Mapped index =
                map(
                        "{"
                                + REAL_HEADER
                                + " operationType: 'createIndexes', operationDescription: {}}");
        assertThat(index.action()).isEqualTo(Action.SKIP);
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
                        "shop",
                        "customers",
                        BsonDocument.parse("{" + REAL_HEADER + " operationType: 'drop'}"));
        assertThat(drop.action()).isEqualTo(Action.SKIP);
    }

    // --- embedded test server shapes (captured from mongo-java-server 1.47.0) ---

    @Test
    void testServerSetUpdateTakesIdFromFullDocument() {
        Mapped mapped =
                map(
                        "{_id: {_data: '6b07f33e00000002'}, operationType: 'update',"
                                + " fullDocument: {_id: 1, a: 1, b: 2}, documentKey: {$set: {b: 2}},"
                                + " clusterTime: {$timestamp: {t: 1795683134, i: 2}}}");
        assertThat(mapped.action()).isEqualTo(Action.EMIT);
        assertThat(mapped.event().kind()).isEqualTo(EventKind.UPDATE);
        assertThat(mapped.event().id()).isEqualTo(new BsonInt32(1));
        assertThat(mapped.event().sourceTimeMillis()).isEqualTo(1_795_683_134_000L);
    }

    @Test
    void testServerReplaceArrivesAsUpdate() {
        Mapped mapped =
                map(
                        "{_id: {_data: '6b07f33e00000004'}, operationType: 'update',"
                                + " fullDocument: {_id: 1, z: 9}, documentKey: {_id: 1, z: 9},"
                                + " clusterTime: {$timestamp: {t: 1795683134, i: 4}}}");
        assertThat(mapped.event().kind()).isEqualTo(EventKind.UPDATE);
        assertThat(mapped.event().id()).isEqualTo(new BsonInt32(1));
    }

    @Test
    void testServerBogusLookupOfADeletedDocumentIsSkipped() {
        // The document was deleted before the stream was read: the server applies the update spec
        // to {}.
        for (String fullDocument : new String[] {"{b: 2}", "{}", "{z: ''}"}) {
            Mapped mapped =
                    map(
                            "{_id: {_data: '6b07f32d00000002'}, operationType: 'update', fullDocument: "
                                    + fullDocument
                                    + ", documentKey: {$set: {b: 2}}, clusterTime: {$timestamp: {t: 1795683117, i: 2}}}");
            assertThat(mapped.action()).isEqualTo(Action.SKIP);
        }
    }

    @Test
    void testServerDropWithoutNsNeedsChecking() {
        Mapped drop =
                map(
                        "{_id: {_data: '6b07f34f00000003'}, operationType: 'drop',"
                                + " clusterTime: {$timestamp: {t: 1795683151, i: 3}}}");
        assertThat(drop.action()).isEqualTo(Action.EMIT_IF_OWN_DROP);
        assertThat(drop.event().kind()).isEqualTo(EventKind.DROP_COLLECTION);
    }

    @Test
    void testServerDelete() {
        Mapped delete =
                map(
                        "{_id: {_data: '6b07f32d00000007'}, operationType: 'delete', fullDocument: null,"
                                + " documentKey: {_id: 1}, clusterTime: {$timestamp: {t: 1795683117, i: 7}}}");
        assertThat(delete.event().kind()).isEqualTo(EventKind.DELETE);
        assertThat(delete.event().id()).isEqualTo(new BsonInt32(1));
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
