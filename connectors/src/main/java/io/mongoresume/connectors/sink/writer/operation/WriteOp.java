package io.mongoresume.connectors.sink.writer.operation;

import org.apache.flink.annotation.Internal;

import com.mongodb.client.model.WriteModel;
import io.mongoresume.connectors.event.MigrationEvent;
import org.bson.RawBsonDocument;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * One buffered write: the driver model plus what it means, for collapsing, error handling and
 * metrics.
 *
 * @param key the event key (namespace + canonical {@code _id}): equal keys mean the same target
 *     document
 * @param event the event the write comes from (its namespace, {@code _id} and document, for error
 *     reports)
 */
@Internal
public record WriteOp(
        Kind kind, String key, WriteModel<RawBsonDocument> model, MigrationEvent event) {

    /** What a write does to its {@code _id}. */
    public enum Kind {
        /** Replace with upsert: the document is X afterwards, whatever it was. */
        REPLACE_UPSERT(true, false),
        /** Replace without upsert: X if the document existed, absent otherwise. */
        REPLACE_IF_EXISTS(false, false),
        /** Insert if absent: an existing document is kept. */
        INSERT_IF_ABSENT(false, false),
        /** Delete: the document is absent afterwards, whatever it was. */
        DELETE(true, true),
        /** Soft delete: set the deleted markers if the document exists. */
        MARK_DELETED(false, true);

        private final boolean unconditional;
        private final boolean deletion;

        Kind(boolean unconditional, boolean deletion) {
            this.unconditional = unconditional;
            this.deletion = deletion;
        }

        /**
         * True when the outcome does not depend on the document's previous state, so every earlier
         * write to the same {@code _id} can be dropped without changing the final state.
         */
        public boolean isUnconditional() {
            return unconditional;
        }

        public boolean isDeletion() {
            return deletion;
        }
    }

    public WriteOp {
        checkNotNull(kind);
        checkNotNull(key);
        checkNotNull(model);
        checkNotNull(event);
    }

    /**
     * True for writes that may insert through an upsert, where a duplicate key can mean a lost
     * race.
     */
    public boolean isUpsert() {
        return kind == Kind.REPLACE_UPSERT || (kind == Kind.INSERT_IF_ABSENT && !isInsertOnly());
    }

    /**
     * True when a duplicate-key error on this write means "already there" rather than a failure.
     */
    public boolean isInsertOnly() {
        return model instanceof com.mongodb.client.model.InsertOneModel;
    }

    @Override
    public String toString() {
        return kind + " " + model.getClass().getSimpleName();
    }
}
