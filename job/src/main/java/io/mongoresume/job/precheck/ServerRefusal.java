package io.mongoresume.job.precheck;

import com.mongodb.MongoException;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;

/**
 * How the rights checks quote a server's refusal: masked, and flagged when it is MongoDB's
 * Unauthorized.
 */
final class ServerRefusal {

    /** MongoDB's Unauthorized. */
    static final int UNAUTHORIZED = 13;

    private ServerRefusal() {}

    /** {@code " (not authorized): <message>"}, or {@code ": <message>"} for any other error. */
    static String describe(MongoException e) {
        return (e.getCode() == UNAUTHORIZED ? " (not authorized)" : "")
                + ": "
                + MongoConnectionOptions.mask(e.getMessage());
    }
}
