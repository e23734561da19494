package io.mongoresume.job.precheck;

/** Outcome of one pre-check; any {@link #FAIL} makes {@code precheck} exit non-zero. */
public enum CheckStatus {
    PASS,
    WARN,
    FAIL
}
