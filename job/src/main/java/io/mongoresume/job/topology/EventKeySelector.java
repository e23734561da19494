package io.mongoresume.job.topology;

import org.apache.flink.api.java.functions.KeySelector;

import io.mongoresume.connectors.event.MigrationEvent;

/**
 * Keys every record by namespace + canonical {@code _id}, so one document always meets one subtask.
 */
public final class EventKeySelector implements KeySelector<MigrationEvent, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(MigrationEvent event) {
        return event.key();
    }
}
