package io.mongoresume.job.topology;

import org.apache.flink.api.common.functions.FilterFunction;

import io.mongoresume.connectors.event.MigrationEvent;

/** Drops collection create/drop events when {@code ddl.enabled} is false. */
final class DdlFilter implements FilterFunction<MigrationEvent> {

    private static final long serialVersionUID = 1L;

    @Override
    public boolean filter(MigrationEvent event) {
        return !event.kind().isDdl();
    }
}
