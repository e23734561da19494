package io.mongoresume.connectors.cdc.reader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoServerException;
import io.mongoresume.connectors.cdc.offset.ChangeStreamOffset;
import io.mongoresume.connectors.common.MongoErrors;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;

import javax.annotation.Nullable;

import java.util.Locale;
import java.util.Set;

/** Tells a lost or rejected resume point (fatal, with advice) from errors worth a restart. */
@Internal
public final class ChangeStreamErrors {

    private static final Set<Integer> HISTORY_LOST_CODES =
            Set.of(
                    MongoErrors.CHANGE_STREAM_HISTORY_LOST,
                    MongoErrors.CHANGE_STREAM_FATAL_ERROR,
                    MongoErrors.CAPPED_POSITION_LOST);

    private static final String ADVICE =
            "restart the migration with a fresh snapshot (sync.type=full+incremental without a savepoint)";

    private ChangeStreamErrors() {}

    /**
     * The fatal exception for {@code error}, or null when it may pass (then the caller rethrows it
     * as a restartable failure). A change event too large for the server ({@link #isEventTooLarge})
     * is not classified here.
     *
     * @param opening whether the error came while opening the stream at the resume point (a server
     *     error there that is not transient means the server refuses that resume point)
     * @param origin what set the resume point when the stream has read nothing yet and starts where
     *     it was told to (e.g. the option {@code cdc.start-at}), else null
     */
    @Nullable
    public static ChangeStreamPositionLostException classify(
            MongoException error,
            String namespace,
            @Nullable BsonDocument resumeToken,
            @Nullable BsonTimestamp operationTime,
            boolean opening,
            @Nullable String origin) {
        ChangeStreamOffset offset = new ChangeStreamOffset(resumeToken, operationTime);
        String position = offset.describe();
        BsonTimestamp since = offset.timestamp();
        String serverError = describeServerError(error);
        if (isEventTooLarge(error)) {
            return null;
        }
        if (isHistoryLost(error)) {
            return new ChangeStreamPositionLostException(
                    cannotStart(namespace, "at", position, origin)
                            + ": the source no longer has the change history from "
                            + ChangeStreamOffset.describe(since)
                            + " (its oplog no longer reaches back that far; "
                            + serverError
                            + (origin != null
                                    ? "), so the changes since then would be missing from the target. "
                                            + startAfresh(origin)
                                            + "; to keep more history, enlarge the source's oplog"
                                            + " (replSetResizeOplog)."
                                    : "). Changes after that point are lost to this migration; "
                                            + ADVICE
                                            + ", and size the oplog to hold the snapshot's duration."),
                    error);
        }
        if (isInvalidToken(error)) {
            return invalidToken(namespace, position, serverError, origin, error);
        }
        if (opening && error instanceof MongoCommandException && !isTransient(error)) {
            if (origin != null) {
                return new ChangeStreamPositionLostException(
                        "The source refused to open the change stream of "
                                + namespace
                                + " at "
                                + position
                                + ", given by "
                                + origin
                                + " ("
                                + serverError
                                + "). Check "
                                + origin
                                + ": a time must lie within the source's oplog, a resume token must come"
                                + " from this collection's change stream.",
                        error);
            }
            return new ChangeStreamPositionLostException(
                    "The source refused to open the change stream of "
                            + namespace
                            + " at "
                            + position
                            + " ("
                            + serverError
                            + "). If that position was given as the start position, check it (a resume"
                            + " token must come from this collection's change stream); otherwise the source"
                            + " no longer has the change history from "
                            + ChangeStreamOffset.describe(since)
                            + ": "
                            + ADVICE
                            + '.',
                    error);
        }
        return null;
    }

    /**
     * "The change stream of {@code namespace} cannot start {@code at|after} {@code position}, given
     * by {@code origin}" for a position a user gave, or "... cannot resume from {@code position}"
     * when origin is null.
     */
    private static String cannotStart(
            String namespace, String preposition, String position, @Nullable String origin) {
        return "The change stream of "
                + namespace
                + (origin != null
                        ? " cannot start " + preposition + " " + position + ", given by " + origin
                        : " cannot resume from " + position);
    }

    /** What to do when the start position a user gave is not in the source's history. */
    private static String startAfresh(String origin) {
        return "Start the job afresh (not from a savepoint or checkpoint) with "
                + origin
                + " at or after the oldest change the source still has, or with sync.type=full+incremental"
                + " to copy the current data first";
    }

    private static ChangeStreamPositionLostException invalidToken(
            String namespace,
            String position,
            String serverError,
            @Nullable String origin,
            MongoException error) {
        return new ChangeStreamPositionLostException(
                cannotStart(namespace, "after", position, origin)
                        + ": the source does not know that resume token ("
                        + serverError
                        + (origin != null
                                ? "). Check "
                                        + origin
                                        + ": it must come from this collection's change stream on this"
                                        + " deployment, and its event must still be in the source's oplog."
                                : "). If the token was given as the start position, check it (it must come"
                                        + " from this collection's change stream); otherwise the source no"
                                        + " longer has the change history from that point: "
                                        + ADVICE
                                        + '.'),
                error);
    }

    /**
     * Whether the server could not put a change event into a reply because the event is larger than
     * its BSON limit: BSONObjectTooLarge (10334), "BSONObj size: N (0x...) is invalid". The event
     * cannot be delivered as it is, on any attempt.
     */
    public static boolean isEventTooLarge(MongoException error) {
        if (error.getCode() == MongoErrors.BSON_OBJECT_TOO_LARGE) {
            return true;
        }
        String message = lowerMessage(error);
        return message.contains("bsonobjecttoolarge") || message.contains("bsonobj size:");
    }

    @VisibleForTesting
    static boolean isHistoryLost(MongoException error) {
        if (HISTORY_LOST_CODES.contains(error.getCode())) {
            return true;
        }
        String message = lowerMessage(error);
        return message.contains("changestreamhistorylost")
                || message.contains("resume point may no longer be in the oplog")
                || message.contains("cappedpositionlost");
    }

    @VisibleForTesting
    static boolean isInvalidToken(MongoException error) {
        if (error.getCode() == MongoErrors.INVALID_RESUME_TOKEN) {
            return true;
        }
        String message = lowerMessage(error);
        return message.contains("resume token was not found")
                || message.contains("invalidresumetoken")
                || message.contains("invalid resume token");
    }

    /**
     * Errors that pass with time (elections, shutdowns, network, stale routing): a restart may
     * succeed.
     */
    private static boolean isTransient(MongoException error) {
        return error.hasErrorLabel(MongoErrors.RESUMABLE_CHANGE_STREAM_ERROR_LABEL)
                || MongoErrors.isTransientReadCode(error.getCode());
    }

    static String describeServerError(MongoException error) {
        String message = MongoConnectionOptions.mask(error.getMessage());
        if (error instanceof MongoServerException) {
            MongoServerException server = (MongoServerException) error;
            String codeName = server.getErrorCodeName();
            return "MongoDB error "
                    + server.getCode()
                    + (codeName == null || codeName.isEmpty() ? "" : " " + codeName)
                    + ": "
                    + message;
        }
        return message;
    }

    private static String lowerMessage(MongoException error) {
        String message = error.getMessage();
        return message == null ? "" : message.toLowerCase(Locale.ROOT);
    }
}
