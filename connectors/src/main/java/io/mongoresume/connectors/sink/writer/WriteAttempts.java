package io.mongoresume.connectors.sink.writer;

import com.mongodb.MongoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Locale;

import io.mongoresume.connectors.common.MongoErrors;
import io.mongoresume.connectors.common.MongoFailures;
import io.mongoresume.connectors.sink.config.MongoWriteOptions;

/**
 * The attempts of one request to the target: a bulk write, a collection create or drop. After a failure it
 * either backs off (a WARN per retry, the n-th retry waiting n × the back-off) or hands back the exception
 * that fails the job. That exception names the target (masked URI) and namespace, says how many attempts
 * were made over how long and why they failed; when the target did not answer in time, it also says what
 * timed out and what to do.
 */
final class WriteAttempts {

    private static final Logger LOG = LoggerFactory.getLogger(WriteAttempts.class);

    private final MongoWriteOptions options;
    private final String namespace;
    private final long startNanos = System.nanoTime();
    private int failures;

    WriteAttempts(MongoWriteOptions options, String namespace) {
        this.options = options;
        this.namespace = namespace;
    }

    /**
     * Sleeps before the next attempt of {@code what} (e.g. "write of 1000 documents"), or throws the
     * job-failing exception when {@code cause} is not worth a retry or the retries are used up.
     */
    void backOffOrFail(String what, MongoException cause) throws IOException, InterruptedException {
        int attempt = failures + 1;
        if (!MongoErrors.isRetryableWrite(cause)) {
            throw fatal(what, attempt, "non-retryable error", cause);
        }
        if (attempt > options.maxRetries()) {
            throw fatal(what, attempt, "retries exhausted", cause);
        }
        failures = attempt;
        long backoff = options.retryBackoffMillis() * failures;
        LOG.warn(
                "MongoDB {} to {} on {} failed (attempt {} of {}), retrying in {} ms: {}",
                what,
                namespace,
                options.connection().maskedUri(),
                failures,
                options.maxRetries() + 1,
                backoff,
                detail(cause));
        Thread.sleep(backoff);
    }

    /** The job-failing exception for a failure never worth a retry (e.g. a client-side rejection). */
    IOException nonRetryable(String what, RuntimeException cause) {
        return fatal(what, failures + 1, "non-retryable error", cause);
    }

    private IOException fatal(String what, int attempts, String reason, RuntimeException cause) {
        StringBuilder message =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "MongoDB %s to %s on %s failed after %d attempt(s) (%s) in %.1f s: %s",
                                what,
                                namespace,
                                options.connection().maskedUri(),
                                attempts,
                                reason,
                                (System.nanoTime() - startNanos) / 1e9,
                                detail(cause)));
        if (MongoFailures.isTimeout(cause)) {
            message.append(
                    ". Check that the target is running, reachable and not overloaded; if it is only slow,"
                            + " raise target.timeout (or target.max-retries). Writes it did not acknowledge"
                            + " are sent again when the job restarts or resumes from its last checkpoint or"
                            + " savepoint.");
        }
        return new IOException(message.toString(), cause);
    }

    /** The cause in words; for a timeout, first what ran out of time. */
    private String detail(RuntimeException cause) {
        String described = MongoFailures.describe(cause);
        if (!MongoFailures.isTimeout(cause)) {
            return described;
        }
        return MongoFailures.whatTimedOut(
                        cause, "the target", options.connection().timeoutMillis(), "target.timeout")
                + " ("
                + described
                + ")";
    }
}
