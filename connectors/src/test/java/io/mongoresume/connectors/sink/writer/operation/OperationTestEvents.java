package io.mongoresume.connectors.sink.writer.operation;

import com.mongodb.client.model.Filters;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.conversions.Bson;

import io.mongoresume.connectors.common.bson.BsonBytes;
import io.mongoresume.connectors.event.EventKind;
import io.mongoresume.connectors.event.MigrationEvent;

/** Events of {@code _id} 7 and what {@link WriteOperations} would hand an operation for them. */
final class OperationTestEvents {

    static final BsonDocument ID_FILTER = new BsonDocument("_id", new BsonInt32(7));
    static final Bson FILTER = Filters.eq("_id", new BsonInt32(7));
    static final String KEY = "db.c/7";

    private OperationTestEvents() {}

    static MigrationEvent change(EventKind kind, BsonDocument doc) {
        return MigrationEvent.change(
                kind, "db", "c", new BsonInt32(7), doc == null ? null : BsonBytes.toBytes(doc), 1000L);
    }
}
