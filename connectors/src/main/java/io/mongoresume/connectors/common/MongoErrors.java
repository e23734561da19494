package io.mongoresume.connectors.common;

import org.apache.flink.annotation.Internal;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.WriteConcernError;

import java.util.HashSet;
import java.util.Set;

/**
 * The MongoDB server error codes and labels the connectors act on, by name, and which failures pass
 * with time. Reads and writes agree on the transient codes of the retryable-writes specification;
 * each adds the few that are transient only for it.
 */
@Internal
public final class MongoErrors {

    public static final int NAMESPACE_NOT_FOUND = 26;
    public static final int NAMESPACE_EXISTS = 48;
    public static final int MAX_TIME_MS_EXPIRED = 50;
    public static final int DUPLICATE_KEY = 11000;

    /** The oplog rolled over the cursor's position while it was reading. */
    public static final int CAPPED_POSITION_LOST = 136;

    /** The resume token is malformed or from another stream. */
    public static final int INVALID_RESUME_TOKEN = 260;

    /** The stream cannot continue (e.g. the resume token's event is gone). */
    public static final int CHANGE_STREAM_FATAL_ERROR = 280;

    /** The resume point is older than the oldest oplog entry. */
    public static final int CHANGE_STREAM_HISTORY_LOST = 286;

    /** A change event is larger than the server's BSON limit (16 MB + 16 KB). */
    public static final int BSON_OBJECT_TOO_LARGE = 10334;

    public static final String RETRYABLE_WRITE_ERROR_LABEL = "RetryableWriteError";

    /** Label MongoDB 4.4+ puts on errors after which the driver may resume a change stream. */
    public static final String RESUMABLE_CHANGE_STREAM_ERROR_LABEL = "ResumableChangeStreamError";

    /**
     * Transient codes from the retryable-writes specification (primary changes, shutdowns,
     * network).
     */
    private static final Set<Integer> TRANSIENT_CODES =
            Set.of(
                    6, // HostUnreachable
                    7, // HostNotFound
                    89, // NetworkTimeout
                    91, // ShutdownInProgress
                    189, // PrimarySteppedDown
                    262, // ExceededTimeLimit
                    9001, // SocketException
                    10107, // NotWritablePrimary
                    11600, // InterruptedAtShutdown
                    11602, // InterruptedDueToReplStateChange
                    13435, // NotPrimaryNoSecondaryOk
                    13436); // NotPrimaryOrSecondary

    /**
     * Not in the specification's list: the operation timeout ran out on the server (it was sent as
     * maxTimeMS). A slow target, like a stalled one, is worth another attempt.
     */
    private static final Set<Integer> RETRYABLE_WRITE_CODES =
            with(TRANSIENT_CODES, MAX_TIME_MS_EXPIRED);

    /**
     * A read may also meet stale routing on a sharded cluster, or be asked to retry its change
     * stream.
     */
    private static final Set<Integer> TRANSIENT_READ_CODES =
            with(
                    TRANSIENT_CODES,
                    63, // StaleShardVersion
                    150, // StaleEpoch
                    13388, // StaleConfig
                    234, // RetryChangeStream
                    133); // FailedToSatisfyReadPreference

    private MongoErrors() {}

    /**
     * True when a write that failed with server error {@code code} may pass when sent again a bit
     * later.
     */
    public static boolean isRetryableWriteCode(int code) {
        return RETRYABLE_WRITE_CODES.contains(code);
    }

    /** True when a read that failed with server error {@code code} may pass when issued again. */
    public static boolean isTransientReadCode(int code) {
        return TRANSIENT_READ_CODES.contains(code);
    }

    /** True for write failures that may pass when the same writes are sent again a bit later. */
    public static boolean isRetryableWrite(Throwable t) {
        if (t instanceof MongoSocketException
                || t instanceof MongoTimeoutException
                || t instanceof MongoNotPrimaryException
                || t instanceof MongoNodeIsRecoveringException) {
            return true;
        }
        if (!(t instanceof MongoException)) {
            return false;
        }
        MongoException e = (MongoException) t;
        if (e.hasErrorLabel(RETRYABLE_WRITE_ERROR_LABEL)) {
            return true;
        }
        if (e instanceof MongoBulkWriteException) {
            MongoBulkWriteException bulk = (MongoBulkWriteException) e;
            if (bulk.getWriteErrors().isEmpty() && bulk.getWriteConcernError() == null) {
                return false;
            }
            for (BulkWriteError error : bulk.getWriteErrors()) {
                if (!isRetryableWriteCode(error.getCode())) {
                    return false;
                }
            }
            WriteConcernError wce = bulk.getWriteConcernError();
            return wce == null || isRetryableWriteCode(wce.getCode());
        }
        return isRetryableWriteCode(e.getCode());
    }

    private static Set<Integer> with(Set<Integer> codes, Integer... more) {
        Set<Integer> all = new HashSet<>(codes);
        all.addAll(Set.of(more));
        return Set.copyOf(all);
    }
}
