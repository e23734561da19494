package io.mongoresume.connectors.common;

import java.io.Serializable;

/**
 * A condition a source waits for before it starts reading on a fresh start (never on a restore,
 * where it continues from its checkpointed position). Serializable: it travels in the job graph.
 */
@FunctionalInterface
public interface StartGate extends Serializable {

    /** No condition. */
    StartGate OPEN = migrationId -> true;

    /**
     * Whether the source may start; asked repeatedly, off the coordinator thread, until it says
     * yes.
     *
     * @param migrationId the migration's id, kept in the source's checkpoints from its first start
     */
    boolean isOpen(String migrationId) throws Exception;
}
