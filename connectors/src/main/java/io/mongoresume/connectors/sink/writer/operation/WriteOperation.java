package io.mongoresume.connectors.sink.writer.operation;

import io.mongoresume.connectors.event.MigrationEvent;
import org.bson.conversions.Bson;

import javax.annotation.Nullable;

/**
 * Turns a document event into one kind of write. {@link WriteOperations} picks one per event kind
 * from the {@link io.mongoresume.connectors.sink.WritePolicy}, once, so no write decides the policy
 * again.
 */
interface WriteOperation {

    /** What the policy does with events it does not write. */
    WriteOperation DISCARD = (event, idFilter, key) -> null;

    /**
     * @param idFilter selects the event's {@code _id}
     * @param key the event key (namespace + canonical {@code _id})
     * @return the write, or null when the event is discarded
     */
    @Nullable
    WriteOp toWrite(MigrationEvent event, Bson idFilter, String key);
}
