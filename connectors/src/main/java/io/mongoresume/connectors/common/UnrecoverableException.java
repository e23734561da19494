package io.mongoresume.connectors.common;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * A failure that a restart cannot mend (a refused resume, a document the target will never accept):
 * Flink fails the job at once instead of restarting it, whatever the restart strategy, so that it
 * cannot end in a restart loop or, worse, finish without the data. The message says what happened
 * and what to do.
 */
@PublicEvolving
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public class UnrecoverableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnrecoverableException(String message) {
        super(message);
    }

    public UnrecoverableException(String message, Throwable cause) {
        super(message, cause);
    }
}
