package io.mongoresume.connectors.sink;

import io.mongoresume.connectors.common.bson.BsonBytes;
import io.mongoresume.connectors.event.EventKind;
import io.mongoresume.connectors.event.MigrationEvent;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;

/** Small factories of {@link MigrationEvent}s for the sink tests. */
public final class SinkTestEvents {

    private SinkTestEvents() {}

    public static BsonDocument doc(int id, String field, int value) {
        return new BsonDocument("_id", new BsonInt32(id)).append(field, new BsonInt32(value));
    }

    public static MigrationEvent snapshot(String db, String coll, BsonDocument doc) {
        return MigrationEvent.snapshotRow(db, coll, doc.get("_id"), BsonBytes.toBytes(doc), 1L);
    }

    public static MigrationEvent insert(String db, String coll, BsonDocument doc) {
        return change(EventKind.INSERT, db, coll, doc);
    }

    public static MigrationEvent update(String db, String coll, BsonDocument doc) {
        return change(EventKind.UPDATE, db, coll, doc);
    }

    public static MigrationEvent delete(String db, String coll, int id) {
        return delete(db, coll, new BsonInt32(id), 1L);
    }

    public static MigrationEvent delete(String db, String coll, BsonValue id, long timeMillis) {
        return MigrationEvent.change(EventKind.DELETE, db, coll, id, null, timeMillis);
    }

    public static MigrationEvent create(String db, String coll) {
        return MigrationEvent.ddl(EventKind.CREATE_COLLECTION, db, coll, 1L);
    }

    public static MigrationEvent drop(String db, String coll) {
        return MigrationEvent.ddl(EventKind.DROP_COLLECTION, db, coll, 1L);
    }

    private static MigrationEvent change(EventKind kind, String db, String coll, BsonDocument doc) {
        return MigrationEvent.change(kind, db, coll, doc.get("_id"), BsonBytes.toBytes(doc), 1L);
    }
}
