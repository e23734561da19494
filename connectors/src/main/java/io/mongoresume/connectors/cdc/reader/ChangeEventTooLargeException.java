package io.mongoresume.connectors.cdc.reader;

import org.apache.flink.annotation.PublicEvolving;

import io.mongoresume.connectors.common.UnrecoverableException;

/**
 * A change event that cannot be delivered: too large for the server to send or for the driver to
 * accept, even alone. Every retry would meet the same event, and skipping it would lose a change,
 * so the job fails at once; the message names the collection, what is known of the event and what
 * to do.
 */
@PublicEvolving
public final class ChangeEventTooLargeException extends UnrecoverableException {

    private static final long serialVersionUID = 1L;

    public ChangeEventTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
