package io.mongoresume.connectors.sink.writer.operation;

import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.sink.WritePolicy;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.conversions.Bson;

/**
 * The soft delete of {@link WritePolicy.Builder#keepDeleted}: sets the deleted markers, with the
 * source time of the delete, on the document if it exists. Never upserts: a marker alone is no
 * document.
 */
final class MarkDeletedOperation implements WriteOperation {

    static final MarkDeletedOperation INSTANCE = new MarkDeletedOperation();

    private MarkDeletedOperation() {}

    @Override
    public WriteOp toWrite(MigrationEvent event, Bson idFilter, String key) {
        BsonDocument set =
                new BsonDocument(WritePolicy.DELETED_FIELD, BsonBoolean.TRUE)
                        .append(
                                WritePolicy.DELETED_AT_FIELD,
                                new BsonDateTime(event.sourceTimeMillis()));
        return new WriteOp(
                WriteOp.Kind.MARK_DELETED,
                key,
                UpdateById.model(idFilter, "$set", set, false),
                event);
    }
}
