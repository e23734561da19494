package io.mongoresume.connectors.sink.writer;

import io.mongoresume.connectors.sink.config.MongoWriteOptions;

import static org.apache.flink.util.Preconditions.checkArgument;

/**
 * How often a request to the target is tried again after a transient failure, and how long it waits
 * first: the n-th retry waits n × the back-off, so a target that is slow to come back gets more
 * time each round while a brief hiccup costs little.
 */
final class RetryPolicy {

    private final int maxRetries;
    private final long backoffMillis;

    RetryPolicy(int maxRetries, long backoffMillis) {
        checkArgument(maxRetries >= 0, "maxRetries must be >= 0, got %s", maxRetries);
        checkArgument(backoffMillis >= 0, "backoffMillis must be >= 0, got %s", backoffMillis);
        this.maxRetries = maxRetries;
        this.backoffMillis = backoffMillis;
    }

    static RetryPolicy of(MongoWriteOptions options) {
        return new RetryPolicy(options.maxRetries(), options.retryBackoffMillis());
    }

    /** Whether retry number {@code retry} (1 for the first) may be made. */
    boolean allows(int retry) {
        return retry <= maxRetries;
    }

    /** The wait before retry number {@code retry}. */
    long backoffMillis(int retry) {
        return backoffMillis * retry;
    }

    /** The first attempt and every retry. */
    int maxAttempts() {
        return maxRetries + 1;
    }
}
