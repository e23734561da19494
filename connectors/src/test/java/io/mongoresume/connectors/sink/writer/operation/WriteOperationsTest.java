package io.mongoresume.connectors.sink.writer.operation;

import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.UpdateOneModel;
import io.mongoresume.connectors.common.bson.BsonBytes;
import io.mongoresume.connectors.event.EventKind;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.sink.WritePolicy;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WriteOperationsTest {

    private static final BsonDocument DOC =
            new BsonDocument("_id", new BsonInt32(7)).append("a", new BsonString("x"));
    private static final BsonDocument ID_FILTER = new BsonDocument("_id", new BsonInt32(7));

    private static final WritePolicy DEFAULTS = WritePolicy.defaults();
    private static final WritePolicy IGNORING =
            WritePolicy.builder()
                    .insert(WritePolicy.InsertPolicy.IGNORE_EXISTING)
                    .update(WritePolicy.UpdatePolicy.IGNORE_MISSING)
                    .delete(WritePolicy.DeletePolicy.IGNORE)
                    .build();

    private static MigrationEvent event(EventKind kind, BsonDocument doc) {
        byte[] bytes = doc == null ? null : BsonBytes.toBytes(doc);
        return kind == EventKind.SNAPSHOT_ROW
                ? MigrationEvent.snapshotRow("db", "c", new BsonInt32(7), bytes, 1000L)
                : MigrationEvent.change(kind, "db", "c", new BsonInt32(7), bytes, 1000L);
    }

    @Test
    void upsertsReplaceTheWholeDocumentWithoutReencoding() {
        for (EventKind kind :
                new EventKind[] {EventKind.SNAPSHOT_ROW, EventKind.INSERT, EventKind.UPDATE}) {
            WriteOp op = WriteOperations.of(DEFAULTS).map(event(kind, DOC));
            assertThat(op.kind()).isEqualTo(WriteOp.Kind.REPLACE_UPSERT);
            ReplaceOneModel<RawBsonDocument> model = (ReplaceOneModel<RawBsonDocument>) op.model();
            assertThat(model.getReplaceOptions().isUpsert()).isTrue();
            assertThat(model.getFilter().toBsonDocument()).isEqualTo(ID_FILTER);
            assertThat(model.getReplacement()).isInstanceOf(RawBsonDocument.class).isEqualTo(DOC);
            assertThat(BsonBytes.toBytes(model.getReplacement())).isEqualTo(BsonBytes.toBytes(DOC));
        }
    }

    @Test
    void deleteByIdByDefault() {
        WriteOp op = WriteOperations.of(DEFAULTS).map(event(EventKind.DELETE, null));
        assertThat(op.kind()).isEqualTo(WriteOp.Kind.DELETE);
        assertThat(((DeleteOneModel<RawBsonDocument>) op.model()).getFilter().toBsonDocument())
                .isEqualTo(ID_FILTER);
    }

    @Test
    void ignoreExistingIsSetOnInsertUpsert() {
        for (EventKind kind : new EventKind[] {EventKind.SNAPSHOT_ROW, EventKind.INSERT}) {
            WriteOp op = WriteOperations.of(IGNORING).map(event(kind, DOC));
            assertThat(op.kind()).isEqualTo(WriteOp.Kind.INSERT_IF_ABSENT);
            assertThat(op.isUpsert()).isTrue();
            UpdateOneModel<RawBsonDocument> model = (UpdateOneModel<RawBsonDocument>) op.model();
            assertThat(model.getOptions().isUpsert()).isTrue();
            assertThat(model.getUpdate().toBsonDocument())
                    .isEqualTo(
                            new BsonDocument(
                                    "$setOnInsert", new BsonDocument("a", new BsonString("x"))));
        }
    }

    @Test
    void ignoreExistingFallsBackToInsertOneForPathLikeNamesOrIdOnly() {
        BsonDocument dotted = DOC.clone().append("b.c", new BsonInt32(1));
        WriteOp op = WriteOperations.of(IGNORING).map(event(EventKind.INSERT, dotted));
        assertThat(op.model()).isInstanceOf(InsertOneModel.class);
        assertThat(op.isInsertOnly()).isTrue();
        assertThat(op.isUpsert()).isFalse();

        BsonDocument idOnly = new BsonDocument("_id", new BsonInt32(7));
        assertThat(WriteOperations.of(IGNORING).map(event(EventKind.INSERT, idOnly)).model())
                .isInstanceOf(InsertOneModel.class);
    }

    @Test
    void ignoreMissingIsReplaceWithoutUpsert() {
        WriteOp op = WriteOperations.of(IGNORING).map(event(EventKind.UPDATE, DOC));
        assertThat(op.kind()).isEqualTo(WriteOp.Kind.REPLACE_IF_EXISTS);
        assertThat(((ReplaceOneModel<RawBsonDocument>) op.model()).getReplaceOptions().isUpsert())
                .isFalse();
    }

    @Test
    void snapshotRowWithUpsertStaysUpsertEvenWhenUpdatesIgnoreMissing() {
        WritePolicy policy =
                WritePolicy.builder().update(WritePolicy.UpdatePolicy.IGNORE_MISSING).build();
        assertThat(WriteOperations.of(policy).map(event(EventKind.SNAPSHOT_ROW, DOC)).kind())
                .isEqualTo(WriteOp.Kind.REPLACE_UPSERT);
    }

    @Test
    void ignoredDeletesMapToNothing() {
        assertThat(WriteOperations.of(IGNORING).map(event(EventKind.DELETE, null))).isNull();
    }

    @Test
    void appendOnlyDiscardsUpdatesAndDeletes() {
        WritePolicy appendOnly = WritePolicy.builder().mode(WritePolicy.Mode.APPEND_ONLY).build();
        assertThat(WriteOperations.of(appendOnly).map(event(EventKind.UPDATE, DOC))).isNull();
        assertThat(WriteOperations.of(appendOnly).map(event(EventKind.DELETE, null))).isNull();
        assertThat(WriteOperations.of(appendOnly).map(event(EventKind.INSERT, DOC)).kind())
                .isEqualTo(WriteOp.Kind.REPLACE_UPSERT);
        assertThat(WriteOperations.of(appendOnly).map(event(EventKind.SNAPSHOT_ROW, DOC)).kind())
                .isEqualTo(WriteOp.Kind.REPLACE_UPSERT);
    }

    @Test
    void keepDeletedSetsMarkersWithTheSourceTime() {
        WritePolicy keep = WritePolicy.builder().keepDeleted(true).build();
        WriteOp op = WriteOperations.of(keep).map(event(EventKind.DELETE, null));
        assertThat(op.kind()).isEqualTo(WriteOp.Kind.MARK_DELETED);
        UpdateOneModel<RawBsonDocument> model = (UpdateOneModel<RawBsonDocument>) op.model();
        assertThat(model.getOptions().isUpsert()).isFalse();
        assertThat(model.getUpdate().toBsonDocument())
                .isEqualTo(
                        new BsonDocument(
                                "$set",
                                new BsonDocument(WritePolicy.DELETED_FIELD, BsonBoolean.TRUE)
                                        .append(
                                                WritePolicy.DELETED_AT_FIELD,
                                                new BsonDateTime(1000L))));
    }

    @Test
    void ddlIsNotADocumentWrite() {
        MigrationEvent ddl = MigrationEvent.ddl(EventKind.CREATE_COLLECTION, "db", "c", 1L);
        assertThatThrownBy(() -> WriteOperations.of(DEFAULTS).map(ddl))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void numericallyEqualIdsShareAKey() {
        MigrationEvent asInt = event(EventKind.DELETE, null);
        MigrationEvent asDouble =
                MigrationEvent.change(
                        EventKind.DELETE, "db", "c", new org.bson.BsonDouble(7.0), null, 1L);
        assertThat(WriteOperations.of(DEFAULTS).map(asInt).key())
                .isEqualTo(WriteOperations.of(DEFAULTS).map(asDouble).key());
    }

    @Test
    void markersAreNotDocumentWrites() {
        MigrationEvent marker = MigrationEvent.snapshotDone("db", "c", new BsonArray(), 0, 1);
        assertThatThrownBy(() -> WriteOperations.of(DEFAULTS).map(marker))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unexpected event kind SNAPSHOT_DONE");
    }
}
