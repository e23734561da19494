package io.mongoresume.connectors.sink.writer.operation;

import com.mongodb.client.model.ReplaceOneModel;
import io.mongoresume.connectors.common.bson.BsonBytes;
import io.mongoresume.connectors.event.EventKind;
import io.mongoresume.connectors.event.MigrationEvent;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;

import static io.mongoresume.connectors.sink.writer.operation.OperationTestEvents.FILTER;
import static io.mongoresume.connectors.sink.writer.operation.OperationTestEvents.ID_FILTER;
import static io.mongoresume.connectors.sink.writer.operation.OperationTestEvents.KEY;
import static io.mongoresume.connectors.sink.writer.operation.OperationTestEvents.change;
import static org.assertj.core.api.Assertions.assertThat;

class ReplaceOperationTest {

    private static final BsonDocument DOC =
            new BsonDocument("_id", new BsonInt32(7)).append("a", new BsonString("x"));

    @Test
    void upsertReplacesOrCreatesWithTheSourceBytes() {
        MigrationEvent event = change(EventKind.UPDATE, DOC);
        WriteOp op = ReplaceOperation.UPSERT.toWrite(event, FILTER, KEY);
        assertThat(op.kind()).isEqualTo(WriteOp.Kind.REPLACE_UPSERT);
        assertThat(op.key()).isEqualTo(KEY);
        assertThat(op.event()).isSameAs(event);
        assertThat(op.isUpsert()).isTrue();
        ReplaceOneModel<RawBsonDocument> model = (ReplaceOneModel<RawBsonDocument>) op.model();
        assertThat(model.getReplaceOptions().isUpsert()).isTrue();
        assertThat(model.getFilter().toBsonDocument()).isEqualTo(ID_FILTER);
        assertThat(BsonBytes.toBytes(model.getReplacement())).isEqualTo(event.documentBytes());
    }

    @Test
    void ifExistsNeverCreates() {
        WriteOp op = ReplaceOperation.IF_EXISTS.toWrite(change(EventKind.UPDATE, DOC), FILTER, KEY);
        assertThat(op.kind()).isEqualTo(WriteOp.Kind.REPLACE_IF_EXISTS);
        assertThat(op.isUpsert()).isFalse();
        assertThat(((ReplaceOneModel<RawBsonDocument>) op.model()).getReplaceOptions().isUpsert())
                .isFalse();
    }
}
