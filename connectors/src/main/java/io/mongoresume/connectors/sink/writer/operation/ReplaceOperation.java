package io.mongoresume.connectors.sink.writer.operation;

import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import io.mongoresume.connectors.event.MigrationEvent;
import org.bson.conversions.Bson;

/**
 * Replaces the document by {@code _id} with the event's document, as it came from the source (no
 * re-encoding). With upsert it creates a missing one; without, a missing document stays missing.
 */
final class ReplaceOperation implements WriteOperation {

    static final ReplaceOperation UPSERT = new ReplaceOperation(true);
    static final ReplaceOperation IF_EXISTS = new ReplaceOperation(false);

    private final WriteOp.Kind kind;
    private final ReplaceOptions options;

    private ReplaceOperation(boolean upsert) {
        this.kind = upsert ? WriteOp.Kind.REPLACE_UPSERT : WriteOp.Kind.REPLACE_IF_EXISTS;
        this.options = new ReplaceOptions().upsert(upsert);
    }

    @Override
    public WriteOp toWrite(MigrationEvent event, Bson idFilter, String key) {
        return new WriteOp(
                kind, key, new ReplaceOneModel<>(idFilter, event.document(), options), event);
    }
}
