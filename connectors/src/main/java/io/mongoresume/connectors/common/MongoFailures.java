package io.mongoresume.connectors.common;

import org.apache.flink.annotation.Internal;

import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.MongoSocketWriteTimeoutException;
import com.mongodb.MongoTimeoutException;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;

/** Puts a failed MongoDB request into words for logs and job failures. */
@Internal
public final class MongoFailures {

    private MongoFailures() {}

    /**
     * True when the request ran out of time anywhere on its way: no server selected, no reply (the
     * client's operation or socket timeout), or the server's own {@code maxTimeMS}.
     */
    public static boolean isTimeout(Throwable failure) {
        return hasCause(failure, MongoTimeoutException.class)
                || hasCause(failure, MongoSocketReadTimeoutException.class)
                || hasCause(failure, MongoSocketWriteTimeoutException.class)
                || hasCause(failure, MongoExecutionTimeoutException.class);
    }

    /**
     * What ran out of time in a {@link #isTimeout timeout}, e.g. "the target did not reply within
     * 30000 ms (target.timeout)".
     *
     * @param server "the source" or "the target"
     * @param option the option that set the timeout
     */
    public static String whatTimedOut(
            Throwable failure, String server, long timeoutMillis, String option) {
        String limit = timeoutMillis + " ms (" + option + ")";
        if (hasCause(failure, MongoSocketReadTimeoutException.class)) {
            return server + " did not reply within " + limit;
        }
        if (hasCause(failure, MongoExecutionTimeoutException.class)) {
            return server + " gave up on the request when the " + limit + " ran out (maxTimeMS)";
        }
        return server + " could not be reached within " + limit;
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The failure and its causes, credentials masked, e.g. {@code MongoOperationTimeoutException:
     * Operation exceeded the timeout limit. <- MongoSocketReadTimeoutException: Timeout while
     * receiving message}: the driver's timeout says that time ran out, its cause says where.
     */
    public static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 4; t = t.getCause(), depth++) {
            if (depth > 0) {
                if (t instanceof java.net.SocketTimeoutException) {
                    break; // adds nothing to the driver's own socket timeout
                }
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName())
                    .append(": ")
                    .append(MongoConnectionOptions.mask(t.getMessage()));
        }
        return text.toString();
    }
}
