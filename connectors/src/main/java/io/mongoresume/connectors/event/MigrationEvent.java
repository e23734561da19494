package io.mongoresume.connectors.event;

import org.apache.flink.api.common.typeinfo.TypeInfo;

import io.mongoresume.connectors.common.bson.BsonBytes;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * One record flowing from the sources through the merge to the sink: a snapshot row, a change event
 * or a collection DDL event of one source namespace. Immutable. The {@code _id} and the document
 * are kept as raw BSON bytes and carried by {@link MigrationEventSerializer}, never by Kryo.
 */
@TypeInfo(MigrationEventTypeInfoFactory.class)
public final class MigrationEvent implements Serializable {

    private static final long serialVersionUID = 1L;

    private final EventKind kind;
    private final String database;
    private final String collection;

    /** The {@code _id} as the bytes of {@code {v: <_id>}}; null for DDL events. */
    @Nullable private final byte[] idBytes;

    /** The whole document; null for deletes and DDL events. */
    @Nullable private final byte[] document;

    /**
     * When the change happened at the source (cluster time) or when the row was read, epoch millis.
     */
    private final long sourceTimeMillis;

    private transient String key;

    public MigrationEvent(
            EventKind kind,
            String database,
            String collection,
            @Nullable byte[] idBytes,
            @Nullable byte[] document,
            long sourceTimeMillis) {
        this.kind = checkNotNull(kind);
        this.database = checkNotNull(database);
        this.collection = checkNotNull(collection);
        checkArgument(
                kind.isDdl() == (idBytes == null), "An _id is required exactly for non-DDL events");
        checkArgument(
                document != null || kind == EventKind.DELETE || kind.isDdl(),
                "A %s event needs a document",
                kind);
        this.idBytes = idBytes;
        this.document = document;
        this.sourceTimeMillis = sourceTimeMillis;
    }

    public static MigrationEvent snapshotRow(
            String database,
            String collection,
            BsonValue id,
            byte[] document,
            long readTimeMillis) {
        return new MigrationEvent(
                EventKind.SNAPSHOT_ROW,
                database,
                collection,
                BsonBytes.valueToBytes(id),
                document,
                readTimeMillis);
    }

    /**
     * A {@link EventKind#SNAPSHOT_DONE} marker of snapshot reader {@code reader} (of {@code
     * readers}) for a collection, under {@code routingId} (an array, which no document {@code _id}
     * can be, chosen so that the marker reaches a given merge subtask).
     */
    public static MigrationEvent snapshotDone(
            String database, String collection, BsonArray routingId, int reader, int readers) {
        BsonDocument body =
                new BsonDocument("reader", new BsonInt32(reader))
                        .append("readers", new BsonInt32(readers));
        return new MigrationEvent(
                EventKind.SNAPSHOT_DONE,
                database,
                collection,
                BsonBytes.valueToBytes(routingId),
                BsonBytes.toBytes(body),
                0L);
    }

    public static MigrationEvent change(
            EventKind kind,
            String database,
            String collection,
            BsonValue id,
            @Nullable byte[] document,
            long sourceTimeMillis) {
        checkArgument(kind.isChange() && !kind.isDdl(), "Not a document change: %s", kind);
        return new MigrationEvent(
                kind, database, collection, BsonBytes.valueToBytes(id), document, sourceTimeMillis);
    }

    public static MigrationEvent ddl(
            EventKind kind, String database, String collection, long sourceTimeMillis) {
        checkArgument(kind.isDdl(), "Not a DDL event: %s", kind);
        return new MigrationEvent(kind, database, collection, null, null, sourceTimeMillis);
    }

    public EventKind kind() {
        return kind;
    }

    public String database() {
        return database;
    }

    public String collection() {
        return collection;
    }

    public String namespace() {
        return database + '.' + collection;
    }

    @Nullable
    public byte[] idBytes() {
        return idBytes;
    }

    /** The decoded {@code _id}; null for DDL events. */
    @Nullable
    public BsonValue id() {
        return idBytes == null ? null : BsonBytes.valueFromBytes(idBytes);
    }

    @Nullable
    public byte[] documentBytes() {
        return document;
    }

    @Nullable
    public RawBsonDocument document() {
        return document == null ? null : BsonBytes.toDocument(document);
    }

    public long sourceTimeMillis() {
        return sourceTimeMillis;
    }

    /**
     * The merge and routing key: namespace plus canonical {@code _id} (see {@link EventKeys}); DDL
     * events key by namespace alone.
     */
    public String key() {
        String k = key;
        if (k == null) {
            k =
                    idBytes == null
                            ? EventKeys.collectionKey(database, collection)
                            : EventKeys.key(database, collection, id());
            key = k;
        }
        return k;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MigrationEvent)) {
            return false;
        }
        MigrationEvent that = (MigrationEvent) o;
        return sourceTimeMillis == that.sourceTimeMillis
                && kind == that.kind
                && database.equals(that.database)
                && collection.equals(that.collection)
                && Arrays.equals(idBytes, that.idBytes)
                && Arrays.equals(document, that.document);
    }

    @Override
    public int hashCode() {
        int result = Objects.hash(kind, database, collection, sourceTimeMillis);
        result = 31 * result + Arrays.hashCode(idBytes);
        return 31 * result + Arrays.hashCode(document);
    }

    /** Never prints the document: it may hold personal data. */
    @Override
    public String toString() {
        return "MigrationEvent{"
                + kind
                + " "
                + namespace()
                + (idBytes == null ? "" : " _id=" + id())
                + (document == null ? "" : " doc=" + document.length + "B")
                + " t="
                + sourceTimeMillis
                + '}';
    }
}
