package io.mongoresume.job.topology;

import org.apache.flink.api.common.functions.FilterFunction;

import io.mongoresume.connectors.event.EventKind;
import io.mongoresume.connectors.event.MigrationEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;

/**
 * Drops collection create/drop events when {@code ddl.enabled} is false, and says once per
 * collection that a drop (or a rename away, which arrives as one) leaves the target collection as
 * it is.
 */
final class DdlFilter implements FilterFunction<MigrationEvent> {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(DdlFilter.class);

    private transient Set<String> told;

    @Override
    public boolean filter(MigrationEvent event) {
        if (!event.kind().isDdl()) {
            return true;
        }
        if (event.kind() == EventKind.DROP_COLLECTION) {
            if (told == null) {
                told = new HashSet<>();
            }
            if (told.add(event.namespace())) {
                LOG.warn(
                        "{} was dropped or renamed away at the source; the target keeps what was copied of it"
                                + " (ddl.enabled=false). A collection renamed into the selection is copied like"
                                + " any new one.",
                        event.namespace());
            }
        }
        return false;
    }
}
