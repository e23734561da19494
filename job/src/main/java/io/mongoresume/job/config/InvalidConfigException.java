package io.mongoresume.job.config;

/**
 * A job file or option the job cannot run with; the message says which key, what value and what to
 * do.
 */
public final class InvalidConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidConfigException(String message) {
        super(message);
    }

    public InvalidConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
