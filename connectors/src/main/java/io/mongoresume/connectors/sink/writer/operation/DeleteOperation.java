package io.mongoresume.connectors.sink.writer.operation;

import com.mongodb.client.model.DeleteOneModel;
import io.mongoresume.connectors.event.MigrationEvent;
import org.bson.conversions.Bson;

/** Deletes the document by {@code _id}; a missing one is no error. */
final class DeleteOperation implements WriteOperation {

    static final DeleteOperation INSTANCE = new DeleteOperation();

    private DeleteOperation() {}

    @Override
    public WriteOp toWrite(MigrationEvent event, Bson idFilter, String key) {
        return new WriteOp(WriteOp.Kind.DELETE, key, new DeleteOneModel<>(idFilter), event);
    }
}
