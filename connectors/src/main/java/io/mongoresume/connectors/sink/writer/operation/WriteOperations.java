package io.mongoresume.connectors.sink.writer.operation;

import org.apache.flink.annotation.Internal;

import com.mongodb.client.model.Filters;
import io.mongoresume.connectors.event.EventKeys;
import io.mongoresume.connectors.event.EventKind;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.sink.WritePolicy;
import org.bson.BsonValue;

import javax.annotation.Nullable;

import java.util.EnumMap;
import java.util.Map;

import static org.apache.flink.util.Preconditions.checkArgument;

/**
 * Maps each document event to its write under a {@link WritePolicy}, through one {@link
 * WriteOperation} per event kind.
 */
@Internal
public final class WriteOperations {

    static final String ID = "_id";

    private final Map<EventKind, WriteOperation> byKind;

    private WriteOperations(Map<EventKind, WriteOperation> byKind) {
        this.byKind = byKind;
    }

    public static WriteOperations of(WritePolicy policy) {
        boolean appendOnly = policy.mode() == WritePolicy.Mode.APPEND_ONLY;
        WriteOperation insert =
                policy.insert() == WritePolicy.InsertPolicy.UPSERT
                        ? ReplaceOperation.UPSERT
                        : InsertIfAbsentOperation.INSTANCE;
        WriteOperation update =
                policy.update() == WritePolicy.UpdatePolicy.UPSERT
                        ? ReplaceOperation.UPSERT
                        : ReplaceOperation.IF_EXISTS;
        WriteOperation delete =
                policy.keepDeleted() ? MarkDeletedOperation.INSTANCE : DeleteOperation.INSTANCE;
        Map<EventKind, WriteOperation> byKind = new EnumMap<>(EventKind.class);
        byKind.put(EventKind.SNAPSHOT_ROW, insert);
        byKind.put(EventKind.INSERT, insert);
        byKind.put(EventKind.UPDATE, appendOnly ? WriteOperation.DISCARD : update);
        byKind.put(
                EventKind.DELETE,
                appendOnly || policy.delete() == WritePolicy.DeletePolicy.IGNORE
                        ? WriteOperation.DISCARD
                        : delete);
        return new WriteOperations(byKind);
    }

    /** The write for a non-DDL event, or null when the policy discards it. */
    @Nullable
    public WriteOp map(MigrationEvent event) {
        checkArgument(!event.kind().isDdl(), "DDL events are not document writes: %s", event);
        WriteOperation operation = byKind.get(event.kind());
        if (operation == null) {
            throw new IllegalArgumentException("Unexpected event kind " + event.kind());
        }
        BsonValue id = event.id();
        return operation.toWrite(
                event, Filters.eq(ID, id), EventKeys.key(event.database(), event.collection(), id));
    }
}
