package io.mongoresume.connectors.snapshot.reader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

import io.mongoresume.connectors.common.bson.BsonBytes;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;
import io.mongoresume.connectors.snapshot.split.SnapshotSplitState;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Emits a snapshot row and advances the split state in the same step: Flink checkpoints split state
 * between records, so {@code lastId} in a checkpoint is exactly the last document that went
 * downstream before it.
 */
@Internal
public final class SnapshotRecordEmitter
        implements RecordEmitter<SnapshotRecord, MigrationEvent, SnapshotSplitState> {

    private final ReaderMetrics metrics;

    public SnapshotRecordEmitter(ReaderMetrics metrics) {
        this.metrics = checkNotNull(metrics);
    }

    @Override
    public void emitRecord(
            SnapshotRecord record, SourceOutput<MigrationEvent> output, SnapshotSplitState state) {
        SnapshotSplit split = state.split();
        output.collect(
                MigrationEvent.snapshotRow(
                        split.database(),
                        split.collection(),
                        record.id,
                        BsonBytes.toBytes(record.document),
                        record.readTimeMillis));
        state.emitted(record.id, record.batchLastId);
        metrics.documentsEmitted(split.namespace()).inc();
    }
}
