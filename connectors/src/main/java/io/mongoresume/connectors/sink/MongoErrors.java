package io.mongoresume.connectors.sink;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.WriteConcernError;

import java.util.Set;

/** MongoDB error codes and labels the sink acts on, and which failures are worth a retry. */
final class MongoErrors {

    static final int DUPLICATE_KEY = 11000;
    static final int NAMESPACE_NOT_FOUND = 26;
    static final int NAMESPACE_EXISTS = 48;

    static final String RETRYABLE_WRITE_ERROR_LABEL = "RetryableWriteError";

    /** Transient codes from the retryable-writes specification (primary changes, shutdowns, network). */
    static final Set<Integer> RETRYABLE_CODES =
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
                    13436, // NotPrimaryOrSecondary
                    // Not in the specification's list: the operation timeout ran out on the server (it was
                    // sent as maxTimeMS). A slow target, like a stalled one, is worth another attempt.
                    50); // MaxTimeMSExpired

    private MongoErrors() {}

    /** True for failures that may pass when the same writes are sent again a bit later. */
    static boolean isRetryable(Throwable t) {
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
                if (!RETRYABLE_CODES.contains(error.getCode())) {
                    return false;
                }
            }
            WriteConcernError wce = bulk.getWriteConcernError();
            return wce == null || RETRYABLE_CODES.contains(wce.getCode());
        }
        return RETRYABLE_CODES.contains(e.getCode());
    }
}
