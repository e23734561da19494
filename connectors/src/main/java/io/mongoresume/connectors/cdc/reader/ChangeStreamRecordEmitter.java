package io.mongoresume.connectors.cdc.reader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

import io.mongoresume.connectors.cdc.split.ChangeStreamSplitState;
import io.mongoresume.connectors.event.MigrationEvent;

/**
 * Emits the event of a record and then moves its split's resume point past it. Flink snapshots
 * split state between two records, so a checkpoint always holds the token of exactly the last
 * emitted event: a restore resumes {@code startAfter} it, with neither a gap nor a duplicate.
 */
@Internal
public final class ChangeStreamRecordEmitter
        implements RecordEmitter<ChangeStreamRecord, MigrationEvent, ChangeStreamSplitState> {

    private final ChangeStreamMetrics metrics;

    public ChangeStreamRecordEmitter(ChangeStreamMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void emitRecord(
            ChangeStreamRecord record,
            SourceOutput<MigrationEvent> output,
            ChangeStreamSplitState state) {
        String namespace = state.toSplit().splitId();
        if (record.caughtUp()) {
            metrics.onCaughtUp(namespace);
            return;
        }
        MigrationEvent event = record.event();
        if (event != null) {
            output.collect(event, event.sourceTimeMillis());
            metrics.onEvent(namespace, event);
        }
        state.advance(record.resumeToken(), record.clusterTime());
    }
}
