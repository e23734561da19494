package io.mongoresume.connectors.cdc.reader;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * The change stream cannot continue from its resume point: the history is gone from the oplog, or
 * the server rejected the token. Retrying cannot help, so the job fails at once (Flink does not
 * restart on a non-recoverable error) with a message saying what to do.
 */
@PublicEvolving
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public final class ChangeStreamPositionLostException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ChangeStreamPositionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
