package io.mongoresume.connectors.sink.writer.operation;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import io.mongoresume.connectors.common.bson.BsonBytes;
import io.mongoresume.connectors.event.EventKind;
import io.mongoresume.connectors.event.MigrationEvent;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.RawBsonDocument;
import org.bson.conversions.Bson;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events of {@code _id} 7, what {@link WriteOperations} would hand an operation for them, and
 * checks.
 */
final class OperationTestEvents {

    static final BsonDocument ID_FILTER = new BsonDocument("_id", new BsonInt32(7));
    static final Bson FILTER = Filters.eq("_id", new BsonInt32(7));
    static final String KEY = "db.c/7";

    private OperationTestEvents() {}

    /** Asserts an {@code updateOne} of {@code _id} 7 with {@code update}, upserting or not. */
    static void assertUpdateById(WriteOp op, boolean upsert, BsonDocument update) {
        assertThat(op.model()).isInstanceOf(UpdateOneModel.class);
        UpdateOneModel<RawBsonDocument> model = (UpdateOneModel<RawBsonDocument>) op.model();
        assertThat(model.getOptions().isUpsert()).isEqualTo(upsert);
        assertThat(model.getFilter().toBsonDocument()).isEqualTo(ID_FILTER);
        assertThat(model.getUpdate().toBsonDocument()).isEqualTo(update);
    }

    static MigrationEvent change(EventKind kind, BsonDocument doc) {
        return MigrationEvent.change(
                kind,
                "db",
                "c",
                new BsonInt32(7),
                doc == null ? null : BsonBytes.toBytes(doc),
                1000L);
    }
}
