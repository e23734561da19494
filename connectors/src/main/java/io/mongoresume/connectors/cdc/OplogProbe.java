package io.mongoresume.connectors.cdc;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.mongoresume.connectors.cdc.offset.ChangeStreamOffset;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.conversions.Bson;

import javax.annotation.Nullable;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads what a replica-set member's oplog ({@code local.oplog.rs}) says about the change history:
 * where it begins and ends, and which document a change at a cluster time touched. Only a
 * replica-set member has one (a {@code mongos} does not) and reading it needs rights on {@code
 * local}; every method throws the driver's exception then, and callers treat the answer as unknown.
 * Entries are read in natural order, which is {@code ts} order, and only their {@code ts}, {@code
 * op} and {@code _id}s are fetched.
 */
@Internal
public final class OplogProbe {

    /** Oplog operation codes of document changes: insert, update, delete. */
    private static final List<String> DOCUMENT_OPS = List.of("i", "u", "d");

    /** Longest a search for one change may take on the server: it only serves an error message. */
    private static final long SEARCH_SECONDS = 10;

    private OplogProbe() {}

    /** One document change in the oplog. */
    public static final class Entry {
        private final BsonTimestamp time;
        private final String op;
        @Nullable private final BsonValue documentId;

        Entry(BsonTimestamp time, String op, @Nullable BsonValue documentId) {
            this.time = time;
            this.op = op;
            this.documentId = documentId;
        }

        public BsonTimestamp time() {
            return time;
        }

        /**
         * Whether the change inserted the document (its event carries the document as inserted).
         */
        public boolean isInsert() {
            return "i".equals(op);
        }

        /** The document's {@code _id}, or null when the entry does not hold it. */
        @Nullable
        public BsonValue documentId() {
            return documentId;
        }

        /** E.g. {@code an update of {"_id": 7} at 2026-11-26T08:51:57Z (1795683117, 3)}. */
        public String describe() {
            String what;
            switch (op) {
                case "i":
                    what = "an insert";
                    break;
                case "u":
                    what = "an update";
                    break;
                default:
                    what = "a delete";
            }
            String id =
                    documentId == null ? "" : " of " + new BsonDocument("_id", documentId).toJson();
            return what + id + " at " + ChangeStreamOffset.describe(time);
        }
    }

    /** An entry as the oplog would give it; {@code op} is i, u or d. */
    @VisibleForTesting
    public static Entry entry(BsonTimestamp time, String op, @Nullable BsonValue documentId) {
        return new Entry(time, op, documentId);
    }

    /** The time of the oldest entry, or null when the oplog is empty. */
    @Nullable
    public static BsonTimestamp oldestTime(MongoClient client) {
        return edgeTime(client, 1);
    }

    /** The time of the newest entry, or null when the oplog is empty. */
    @Nullable
    public static BsonTimestamp newestTime(MongoClient client) {
        return edgeTime(client, -1);
    }

    /**
     * The first change of a document of {@code namespace} after {@code time} (at or after it when
     * {@code inclusive}), or null when there is none.
     */
    @Nullable
    public static Entry firstChangeAfter(
            MongoClient client, String namespace, BsonTimestamp time, boolean inclusive) {
        Bson after = inclusive ? Filters.gte("ts", time) : Filters.gt("ts", time);
        return firstChange(client, Filters.and(after, Filters.eq("ns", namespace)));
    }

    /**
     * The change of a document of {@code namespace} at exactly {@code time}, or null when there is
     * none.
     */
    @Nullable
    public static Entry changeAt(MongoClient client, String namespace, BsonTimestamp time) {
        return firstChange(
                client, Filters.and(Filters.eq("ts", time), Filters.eq("ns", namespace)));
    }

    @Nullable
    private static Entry firstChange(MongoClient client, Bson filter) {
        BsonDocument entry =
                oplog(client)
                        .find(Filters.and(filter, Filters.in("op", DOCUMENT_OPS)))
                        .sort(new BsonDocument("$natural", new BsonInt32(1)))
                        .projection(Projections.include("ts", "op", "o._id", "o2._id"))
                        .maxTime(SEARCH_SECONDS, TimeUnit.SECONDS)
                        .limit(1)
                        .first();
        if (entry == null || !entry.isTimestamp("ts") || !entry.isString("op")) {
            return null;
        }
        String op = entry.getString("op").getValue();
        // An update names its document in o2 ({_id: ...}); an insert or a delete in o.
        BsonValue id = idIn(entry, "u".equals(op) ? "o2" : "o");
        return new Entry(entry.getTimestamp("ts"), op, id);
    }

    @Nullable
    private static BsonValue idIn(BsonDocument entry, String field) {
        BsonValue value = entry.get(field);
        return value != null && value.isDocument() ? value.asDocument().get("_id") : null;
    }

    @Nullable
    private static BsonTimestamp edgeTime(MongoClient client, int direction) {
        BsonDocument entry =
                oplog(client)
                        .find()
                        .sort(new BsonDocument("$natural", new BsonInt32(direction)))
                        .projection(Projections.include("ts"))
                        .limit(1)
                        .first();
        return entry != null && entry.isTimestamp("ts") ? entry.getTimestamp("ts") : null;
    }

    private static MongoCollection<BsonDocument> oplog(MongoClient client) {
        return client.getDatabase("local").getCollection("oplog.rs", BsonDocument.class);
    }
}
