package io.mongoresume.connectors.sink.writer;

import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.conversions.Bson;

import javax.annotation.Nullable;

import java.util.Map;

import io.mongoresume.connectors.event.EventKeys;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.sink.config.WritePolicy;

import static org.apache.flink.util.Preconditions.checkArgument;

/**
 * Maps a document event to its write under a {@link WritePolicy}.
 *
 * <p>Insert-if-absent ({@link WritePolicy.InsertPolicy#IGNORE_EXISTING}) is an {@code updateOne({_id},
 * {$setOnInsert: <doc minus _id>}, upsert)}: it never fails, so it sits in an ordered bulk without stopping
 * it (an {@code insertOne} would raise duplicate key 11000 on every existing document and halt the ordered
 * bulk there, costing one round trip per existing document). {@code $setOnInsert} reads top-level names as
 * paths, so a document with a top-level name containing '.' or starting with '$', or with no field but
 * {@code _id}, falls back to {@code insertOne}; the writer then treats its duplicate-key error as "already
 * there" and resumes the bulk after it.
 */
final class WriteModelMapper {

    private static final String ID = "_id";
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);
    private static final ReplaceOptions NO_UPSERT = new ReplaceOptions().upsert(false);
    private static final UpdateOptions UPDATE_UPSERT = new UpdateOptions().upsert(true);
    private static final UpdateOptions UPDATE_NO_UPSERT = new UpdateOptions().upsert(false);

    private WriteModelMapper() {}

    /** The write for a non-DDL event, or null when the policy discards it. */
    @Nullable
    static WriteOp map(MigrationEvent event, WritePolicy policy) {
        checkArgument(!event.kind().isDdl(), "DDL events are not document writes: %s", event);
        BsonValue id = event.id();
        Bson filter = Filters.eq(ID, id);
        String key = EventKeys.key(event.database(), event.collection(), id);
        switch (event.kind()) {
            case SNAPSHOT_ROW:
            case INSERT:
                return policy.insert() == WritePolicy.InsertPolicy.UPSERT
                        ? replace(key, filter, event, true)
                        : insertIfAbsent(key, filter, event);
            case UPDATE:
                if (policy.mode() == WritePolicy.Mode.APPEND_ONLY) {
                    return null;
                }
                return replace(
                        key, filter, event, policy.update() == WritePolicy.UpdatePolicy.UPSERT);
            case DELETE:
                if (policy.mode() == WritePolicy.Mode.APPEND_ONLY
                        || policy.delete() == WritePolicy.DeletePolicy.IGNORE) {
                    return null;
                }
                if (policy.keepDeleted()) {
                    BsonDocument set =
                            new BsonDocument(WritePolicy.DELETED_FIELD, BsonBoolean.TRUE)
                                    .append(
                                            WritePolicy.DELETED_AT_FIELD,
                                            new BsonDateTime(event.sourceTimeMillis()));
                    return new WriteOp(
                            WriteOp.Kind.MARK_DELETED,
                            key,
                            new UpdateOneModel<>(
                                    filter, new BsonDocument("$set", set), UPDATE_NO_UPSERT),
                            event);
                }
                return new WriteOp(WriteOp.Kind.DELETE, key, new DeleteOneModel<>(filter), event);
            default:
                throw new IllegalArgumentException("Unexpected event kind " + event.kind());
        }
    }

    private static WriteOp replace(String key, Bson filter, MigrationEvent event, boolean upsert) {
        return new WriteOp(
                upsert ? WriteOp.Kind.REPLACE_UPSERT : WriteOp.Kind.REPLACE_IF_EXISTS,
                key,
                new ReplaceOneModel<>(filter, event.document(), upsert ? UPSERT : NO_UPSERT),
                event);
    }

    private static WriteOp insertIfAbsent(String key, Bson filter, MigrationEvent event) {
        RawBsonDocument doc = event.document();
        BsonDocument fields = new BsonDocument();
        boolean plainNames = true;
        for (Map.Entry<String, BsonValue> e : doc.entrySet()) {
            String name = e.getKey();
            if (name.equals(ID)) {
                continue;
            }
            if (name.indexOf('.') >= 0 || name.startsWith("$")) {
                plainNames = false;
                break;
            }
            fields.append(name, e.getValue());
        }
        if (!plainNames || fields.isEmpty()) {
            return new WriteOp(WriteOp.Kind.INSERT_IF_ABSENT, key, new InsertOneModel<>(doc), event);
        }
        return new WriteOp(
                WriteOp.Kind.INSERT_IF_ABSENT,
                key,
                new UpdateOneModel<>(filter, new BsonDocument("$setOnInsert", fields), UPDATE_UPSERT),
                event);
    }
}
