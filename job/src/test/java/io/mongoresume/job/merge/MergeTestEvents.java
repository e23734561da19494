package io.mongoresume.job.merge;

import io.mongoresume.connectors.common.bson.BsonBytes;
import io.mongoresume.connectors.event.EventKind;
import io.mongoresume.connectors.event.MigrationEvent;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.Map;

/**
 * Short factories for the events the merge tests feed in. Ids are given as Java values ({@code 1},
 * {@code 1L}, {@code 1.0}, {@code "a"}) and turned into the matching BSON type; every document is
 * {@code {_id, v}}.
 */
final class MergeTestEvents {

    static final String DB = "shop";
    static final String COLLECTION = "orders";

    private MergeTestEvents() {}

    static MigrationEvent row(Object id, int version) {
        BsonValue bsonId = bsonId(id);
        return MigrationEvent.snapshotRow(DB, COLLECTION, bsonId, docBytes(bsonId, version), 0L);
    }

    static MigrationEvent insert(Object id, int version) {
        return change(EventKind.INSERT, id, version);
    }

    static MigrationEvent update(Object id, int version) {
        return change(EventKind.UPDATE, id, version);
    }

    static MigrationEvent delete(Object id) {
        return MigrationEvent.change(EventKind.DELETE, DB, COLLECTION, bsonId(id), null, 0L);
    }

    static MigrationEvent dropCollection() {
        return MigrationEvent.ddl(EventKind.DROP_COLLECTION, DB, COLLECTION, 0L);
    }

    static MigrationEvent createCollection() {
        return MigrationEvent.ddl(EventKind.CREATE_COLLECTION, DB, COLLECTION, 0L);
    }

    static BsonDocument doc(BsonValue id, int version) {
        return new BsonDocument("_id", id).append("v", new BsonInt32(version));
    }

    static BsonValue bsonId(Object id) {
        if (id instanceof BsonValue) {
            return (BsonValue) id;
        }
        if (id instanceof Integer) {
            return new BsonInt32((Integer) id);
        }
        if (id instanceof Long) {
            return new BsonInt64((Long) id);
        }
        if (id instanceof Double) {
            return new BsonDouble((Double) id);
        }
        if (id instanceof String) {
            return new BsonString((String) id);
        }
        throw new IllegalArgumentException("Unsupported test id: " + id);
    }

    /**
     * Applies one merged event to a target as the sink does: replace-upsert by _id, delete by _id.
     */
    static void applyToTarget(MigrationEvent event, Map<String, BsonDocument> target) {
        switch (event.kind()) {
            case SNAPSHOT_ROW:
            case INSERT:
            case UPDATE:
                target.put(event.key(), BsonBytes.toMutableDocument(event.documentBytes()));
                break;
            case DELETE:
                target.remove(event.key());
                break;
            case DROP_COLLECTION:
                target.keySet().removeIf(key -> key.startsWith(event.key()));
                break;
            default:
                break;
        }
    }

    private static MigrationEvent change(EventKind kind, Object id, int version) {
        BsonValue bsonId = bsonId(id);
        return MigrationEvent.change(kind, DB, COLLECTION, bsonId, docBytes(bsonId, version), 0L);
    }

    private static byte[] docBytes(BsonValue id, int version) {
        return BsonBytes.toBytes(doc(id, version));
    }
}
