package io.mongoresume.connectors.cdc.reader;

import org.apache.flink.annotation.Internal;

import io.mongoresume.connectors.common.bson.BsonBytes;
import io.mongoresume.connectors.event.EventKind;
import io.mongoresume.connectors.event.MigrationEvent;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

/**
 * Maps one raw change-stream document of a collection's stream to a {@link MigrationEvent}. Works
 * on the raw BSON (not the driver's {@code ChangeStreamDocument}) so entries that lack {@code ns},
 * {@code wallTime} or {@code updateDescription}, or whose {@code documentKey} is not {@code {_id:
 * ...}} (the embedded test server's quirks), still map.
 *
 * <ul>
 *   <li>insert: INSERT of {@code fullDocument};
 *   <li>update, replace: UPDATE of {@code fullDocument} ("the document is now X");
 *   <li>update whose looked-up {@code fullDocument} is missing: skipped (see {@link #map});
 *   <li>delete: DELETE of {@code documentKey._id};
 *   <li>drop: DROP_COLLECTION; rename: DROP_COLLECTION of the old name (WARN); create:
 *       CREATE_COLLECTION;
 *   <li>invalidate: no event, the stream must be reopened after it;
 *   <li>anything else (index changes, etc.): no event, the position still moves.
 * </ul>
 */
@Internal
public final class ChangeEventMapper {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeEventMapper.class);

    private static final String ID = "_id";

    private ChangeEventMapper() {}

    /** What to do with one change-stream entry. */
    public enum Action {
        /** Emit {@link Mapped#event()}. */
        EMIT,
        /**
         * Emit the DROP_COLLECTION only if the drop really is this collection's (entry lacks {@code
         * ns}).
         */
        EMIT_IF_OWN_DROP,
        /** Nothing to emit; only the position moves. */
        SKIP,
        /** The stream ended (drop, rename, dropDatabase); reopen it after this entry's token. */
        INVALIDATE
    }

    /** The result of {@link #map}. */
    public record Mapped(
            Action action,
            @Nullable MigrationEvent event,
            @Nullable BsonDocument resumeToken,
            @Nullable BsonTimestamp clusterTime) {}

    /**
     * Maps an entry of the change stream of {@code database.collection}.
     *
     * <p>An update whose looked-up {@code fullDocument} is null is skipped: {@code updateLookup}
     * reads the document when the event is read, so a null means the document was deleted after
     * this update, and that delete is itself later in this same ordered stream. Emitting nothing
     * loses no final state: the delete ends the key's history either way (docs/design.md §5). The
     * embedded test server returns a bogus lookup instead of null (the update spec applied to an
     * empty document, without {@code _id}); a looked-up document without {@code _id} is treated the
     * same way, since a real stored document always has one.
     *
     * @throws IllegalStateException if an insert, update or delete carries no usable {@code _id}:
     *     the event cannot be applied, and dropping it silently would lose data
     */
    public static Mapped map(String database, String collection, BsonDocument entry) {
        String operation = stringOf(entry, "operationType");
        BsonDocument token = documentOf(entry, ID);
        BsonTimestamp clusterTime = timestampOf(entry, "clusterTime");
        long sourceTime = sourceTimeMillis(entry, clusterTime);
        String nsCollection = nsField(entry, "coll");
        String nsDatabase = nsField(entry, "db");
        if (operation == null) {
            throw new IllegalStateException(
                    "Change-stream entry of "
                            + database
                            + '.'
                            + collection
                            + " has no operationType: "
                            + token);
        }
        boolean another =
                (nsCollection != null && !nsCollection.equals(collection))
                        || (nsDatabase != null && !nsDatabase.equals(database));
        if (another && !"invalidate".equals(operation)) {
            // A per-collection stream only has entries of its own namespace; never act on
            // another's.
            LOG.warn(
                    "Ignoring a '{}' change of {}.{} on the change stream of {}.{}",
                    operation,
                    nsDatabase != null ? nsDatabase : database,
                    nsCollection != null ? nsCollection : collection,
                    database,
                    collection);
            return new Mapped(Action.SKIP, null, token, clusterTime);
        }
        switch (operation) {
            case "insert":
            case "update":
            case "replace":
                {
                    // All carry the document as it is now. Only a missing one differs: an insert
                    // without it is broken, an update's was deleted later (see above).
                    boolean insert = "insert".equals(operation);
                    BsonDocument document = documentOf(entry, "fullDocument");
                    if (!insert && (document == null || !document.containsKey(ID))) {
                        LOG.debug(
                                "Skipping an {} of {}.{} whose document is gone (a delete follows in the stream)",
                                operation,
                                database,
                                collection);
                        return new Mapped(Action.SKIP, null, token, clusterTime);
                    }
                    if (document == null) {
                        throw missing(database, collection, operation, "fullDocument", token);
                    }
                    BsonValue id = idOf(entry, document);
                    if (id == null) {
                        throw missing(database, collection, operation, "_id", token);
                    }
                    return emit(
                            insert ? EventKind.INSERT : EventKind.UPDATE,
                            database,
                            collection,
                            id,
                            document,
                            sourceTime,
                            token,
                            clusterTime);
                }
            case "delete":
                {
                    BsonDocument key = documentOf(entry, "documentKey");
                    BsonValue id = key == null ? null : key.get(ID);
                    if (id == null) {
                        throw missing(database, collection, operation, "documentKey._id", token);
                    }
                    return new Mapped(
                            Action.EMIT,
                            MigrationEvent.change(
                                    EventKind.DELETE, database, collection, id, null, sourceTime),
                            token,
                            clusterTime);
                }
            case "drop":
            case "rename":
                {
                    // A rename drops the old name, so both are a DROP_COLLECTION of this one; only
                    // a drop that lacks ns may be another's.
                    boolean rename = "rename".equals(operation);
                    if (rename) {
                        // The target may be in another database; discovery follows it if the
                        // selection matches that namespace.
                        LOG.warn(
                                "Collection {}.{} was renamed to {}; treating it as a drop of {}.{} (the new"
                                        + " namespace is only migrated if the selection matches it)",
                                database,
                                collection,
                                renameTarget(entry),
                                database,
                                collection);
                    }
                    return new Mapped(
                            rename || nsCollection != null ? Action.EMIT : Action.EMIT_IF_OWN_DROP,
                            MigrationEvent.ddl(
                                    EventKind.DROP_COLLECTION, database, collection, sourceTime),
                            token,
                            clusterTime);
                }
            case "create":
                return new Mapped(
                        Action.EMIT,
                        MigrationEvent.ddl(
                                EventKind.CREATE_COLLECTION, database, collection, sourceTime),
                        token,
                        clusterTime);
            case "invalidate":
                return new Mapped(Action.INVALIDATE, null, token, clusterTime);
            default:
                LOG.debug("Ignoring a '{}' change of {}.{}", operation, database, collection);
                return new Mapped(Action.SKIP, null, token, clusterTime);
        }
    }

    private static Mapped emit(
            EventKind kind,
            String database,
            String collection,
            BsonValue id,
            BsonDocument document,
            long sourceTime,
            @Nullable BsonDocument token,
            @Nullable BsonTimestamp clusterTime) {
        return new Mapped(
                Action.EMIT,
                MigrationEvent.change(
                        kind, database, collection, id, BsonBytes.toBytes(document), sourceTime),
                token,
                clusterTime);
    }

    /**
     * {@code documentKey._id}, else {@code fullDocument._id} (the test server may put the update
     * spec in documentKey).
     */
    @Nullable
    static BsonValue idOf(BsonDocument entry, @Nullable BsonDocument fullDocument) {
        BsonDocument key = documentOf(entry, "documentKey");
        if (key != null && key.containsKey(ID)) {
            return key.get(ID);
        }
        return fullDocument == null ? null : fullDocument.get(ID);
    }

    /** Cluster time in millis (1 s resolution), else {@code wallTime}, else now. */
    static long sourceTimeMillis(BsonDocument entry, @Nullable BsonTimestamp clusterTime) {
        if (clusterTime != null) {
            return clusterTime.getTime() * 1000L;
        }
        BsonValue wallTime = entry.get("wallTime");
        if (wallTime != null && wallTime.isDateTime()) {
            return wallTime.asDateTime().getValue();
        }
        return System.currentTimeMillis();
    }

    /** A rename's {@code to} as {@code database.collection}, or what is known of it. */
    private static String renameTarget(BsonDocument entry) {
        BsonDocument to = documentOf(entry, "to");
        if (to == null) {
            return "an unknown name";
        }
        String db = stringOf(to, "db");
        String coll = stringOf(to, "coll");
        return db != null && coll != null ? db + '.' + coll : to.toJson();
    }

    /** {@code ns.<field>} ({@code db} or {@code coll}) of an entry, or null. */
    @Nullable
    private static String nsField(BsonDocument entry, String field) {
        BsonDocument ns = documentOf(entry, "ns");
        if (ns == null) {
            return null;
        }
        BsonValue value = ns.get(field);
        return value != null && value.isString() ? value.asString().getValue() : null;
    }

    @Nullable
    private static String stringOf(BsonDocument document, String field) {
        BsonValue value = document.get(field);
        return value != null && value.isString() ? value.asString().getValue() : null;
    }

    @Nullable
    private static BsonDocument documentOf(BsonDocument document, String field) {
        BsonValue value = document.get(field);
        return value != null && value.isDocument() ? value.asDocument() : null;
    }

    @Nullable
    private static BsonTimestamp timestampOf(BsonDocument document, String field) {
        BsonValue value = document.get(field);
        return value != null && value.isTimestamp() ? value.asTimestamp() : null;
    }

    private static IllegalStateException missing(
            String database,
            String collection,
            String operation,
            String field,
            @Nullable BsonDocument token) {
        return new IllegalStateException(
                "Cannot apply a '"
                        + operation
                        + "' change of "
                        + database
                        + '.'
                        + collection
                        + ": it has no "
                        + field
                        + " (resume token "
                        + (token == null ? "none" : token.toJson())
                        + ")");
    }
}
