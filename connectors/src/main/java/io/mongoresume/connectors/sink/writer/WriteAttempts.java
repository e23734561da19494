package io.mongoresume.connectors.sink.writer;

import com.mongodb.MongoException;
import io.mongoresume.connectors.common.MongoErrors;
import io.mongoresume.connectors.common.MongoFailures;
import io.mongoresume.connectors.sink.config.MongoWriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The attempts of one request to the target: a bulk write, a collection create or drop. After a
 * failure it either backs off as the {@link RetryPolicy} says (a WARN per retry) or throws the
 * exception that fails the job. That exception names the target (masked URI) and namespace, says
 * how many attempts were made over how long and why they failed; when the target did not answer in
 * time, it also says what timed out and what to do.
 */
final class WriteAttempts {

    private static final Logger LOG = LoggerFactory.getLogger(WriteAttempts.class);

    /** One attempt of the request. */
    @FunctionalInterface
    interface Attempt {
        /**
         * @return null when the request is done, else the failure to back off from (anything thrown
         *     ends the request at once, without a retry)
         */
        @Nullable
        MongoException make() throws IOException, InterruptedException;
    }

    private final MongoWriteOptions options;
    private final RetryPolicy retries;
    private final String namespace;
    private final long startNanos = System.nanoTime();
    private int failures;

    WriteAttempts(MongoWriteOptions options, String namespace) {
        this.options = options;
        this.retries = RetryPolicy.of(options);
        this.namespace = namespace;
    }

    /**
     * Makes attempts until one is done, backing off between them, or throws the job-failing
     * exception when a failure is not worth a retry or the retries are used up.
     *
     * @param what the request in words when an attempt fails, e.g. "write of 1000 documents"
     */
    void untilDone(Supplier<String> what, Attempt attempt)
            throws IOException, InterruptedException {
        for (MongoException failure = attempt.make(); failure != null; failure = attempt.make()) {
            backOffOrFail(what.get(), failure);
        }
    }

    private void backOffOrFail(String what, MongoException cause)
            throws IOException, InterruptedException {
        int attempt = failures + 1;
        if (!MongoErrors.isRetryableWrite(cause)) {
            throw fatal(what, attempt, "non-retryable error", cause);
        }
        if (!retries.allows(attempt)) {
            throw fatal(what, attempt, "retries exhausted", cause);
        }
        failures = attempt;
        long backoff = retries.backoffMillis(failures);
        LOG.warn(
                "MongoDB {} to {} on {} failed (attempt {} of {}), retrying in {} ms: {}",
                what,
                namespace,
                options.connection().maskedUri(),
                failures,
                retries.maxAttempts(),
                backoff,
                detail(cause));
        Thread.sleep(backoff);
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
