package io.mongoresume.connectors.cdc.reader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;

import com.mongodb.MongoException;
import io.mongoresume.connectors.cdc.OplogProbe;
import io.mongoresume.connectors.cdc.offset.ChangeStreamOffset;
import io.mongoresume.connectors.common.read.RefusedReply;
import org.bson.BsonDocument;
import org.bson.BsonString;

import javax.annotation.Nullable;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts a change event that cannot be delivered into words ({@link ChangeEventTooLargeException}):
 * the collection, where the stream stands, what is known of the event (its resume token and cluster
 * time when the server names them, the document's {@code _id} when the oplog does), its size when
 * known, and what to do. Two causes: the server cannot send the event (BSONObjectTooLarge, a real
 * {@code mongod} for an event over 16 MB), or the driver refuses the reply that holds it alone (a
 * server that puts events of any size into one reply).
 */
@Internal
final class OversizedChangeEvent {

    /**
     * "BSONObj size: 17701268 (0x10E1994) is invalid. Size must be between 0 and 16793600(16MB)".
     */
    private static final Pattern SIZE = Pattern.compile("BSONObj size: (\\d+)");

    private static final Pattern LIMIT = Pattern.compile("Size must be between 0 and (\\d+)");

    /** "First element: _id: { _data: "8263..." }": the event's resume token. */
    private static final Pattern TOKEN =
            Pattern.compile("First element: _id: \\{ ?_data: \\\\?\"([0-9A-Fa-f]+)");

    private static final String NOT_SKIPPED =
            " The change was not skipped: the stream stops before it, and a resume reads it again.";

    private OversizedChangeEvent() {}

    /**
     * The server refused to send the event ({@link ChangeStreamErrors#isEventTooLarge}).
     *
     * @param where where the stream stands, e.g. "after resume token {...}"
     * @param entry the oplog entry of the event, when found
     */
    static ChangeEventTooLargeException tooLargeForServer(
            String namespace,
            String where,
            MongoException error,
            @Nullable OplogProbe.Entry entry) {
        BsonDocument token = eventToken(error);
        long size = number(SIZE, error);
        long limit = number(LIMIT, error);
        String event =
                token == null ? "" : " (" + new ChangeStreamOffset(token, null).describe() + ")";
        return new ChangeEventTooLargeException(
                "The change stream of "
                        + namespace
                        + " cannot deliver its next change"
                        + event
                        + ", which comes "
                        + where
                        + ": the source cannot send it"
                        + (size > 0 ? ", the event has " + size + " bytes" : "")
                        + (limit > 0
                                ? ", more than MongoDB's limit of " + limit + " bytes for one event"
                                : "")
                        + " ("
                        + ChangeStreamErrors.describeServerError(error)
                        + "). "
                        + named(namespace, entry)
                        + " The job reads change events with the looked-up document and without"
                        + " updateDescription, so the event holds a document or _id close to the 16 MB limit. "
                        + advice(entry)
                        + NOT_SKIPPED,
                error);
    }

    /**
     * The driver refused a reply that held one event only: the event alone is longer than the
     * driver accepts ({@code maxMessageSizeBytes}).
     */
    static ChangeEventTooLargeException tooLargeForReply(
            String namespace,
            String where,
            RefusedReply reply,
            MongoException error,
            @Nullable OplogProbe.Entry entry) {
        return new ChangeEventTooLargeException(
                "The change stream of "
                        + namespace
                        + " cannot deliver its next change, which comes "
                        + where
                        + ": even alone it came in a reply of "
                        + reply.length()
                        + " bytes, more than the MongoDB driver accepts ("
                        + reply.maxLength()
                        + " bytes, the server's maxMessageSizeBytes). "
                        + named(namespace, entry)
                        + " Its document has grown past what one change event can carry (MongoDB stores at"
                        + " most 16 MB per document). "
                        + advice(entry)
                        + NOT_SKIPPED,
                error);
    }

    private static String named(String namespace, @Nullable OplogProbe.Entry entry) {
        if (entry == null) {
            return "The source's oplog did not name the document (reading it needs access to local.oplog.rs"
                    + " on a replica-set member).";
        }
        return "In the source's oplog the next change of "
                + namespace
                + " is "
                + entry.describe()
                + '.';
    }

    private static String advice(@Nullable OplogProbe.Entry entry) {
        if (entry != null && entry.isInsert()) {
            return "An insert event carries the document as it was inserted, so this one will never fit:"
                    + " restart the migration with a fresh snapshot (sync.type=full+incremental without a"
                    + " savepoint), which copies the document as it is now, after reducing it at the source.";
        }
        return "Reduce that document at the source, then resume the job from its latest checkpoint or"
                + " savepoint: an update event carries the document as it is when the event is read, so it"
                + " then fits.";
    }

    /** The event's resume token as the server names it in a BSONObjectTooLarge message, or null. */
    @VisibleForTesting
    @Nullable
    static BsonDocument eventToken(MongoException error) {
        String message = error.getMessage();
        if (message == null) {
            return null;
        }
        Matcher m = TOKEN.matcher(message);
        return m.find() ? new BsonDocument("_data", new BsonString(m.group(1))) : null;
    }

    private static long number(Pattern pattern, MongoException error) {
        String message = error.getMessage();
        if (message == null) {
            return -1;
        }
        Matcher m = pattern.matcher(message);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
