package io.mongoresume.connectors.cdc.reader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;

import io.mongoresume.connectors.cdc.split.ChangeStreamSplit;
import io.mongoresume.connectors.cdc.split.ChangeStreamSplitState;
import io.mongoresume.connectors.event.MigrationEvent;

import java.util.Map;
import java.util.function.Supplier;

/**
 * One fetcher thread multiplexing the change streams of all splits of this subtask. Splits never
 * finish.
 */
@Internal
public final class ChangeStreamSourceReader
        extends SingleThreadMultiplexSourceReaderBase<
                ChangeStreamRecord, MigrationEvent, ChangeStreamSplit, ChangeStreamSplitState> {

    public ChangeStreamSourceReader(
            Supplier<SplitReader<ChangeStreamRecord, ChangeStreamSplit>> splitReaderSupplier,
            ChangeStreamRecordEmitter emitter,
            SourceReaderContext context) {
        super(splitReaderSupplier, emitter, context.getConfiguration(), context);
    }

    @Override
    protected void onSplitFinished(Map<String, ChangeStreamSplitState> finishedSplitIds) {
        // Change streams are unbounded: nothing finishes.
    }

    @Override
    protected ChangeStreamSplitState initializedState(ChangeStreamSplit split) {
        return new ChangeStreamSplitState(split);
    }

    @Override
    protected ChangeStreamSplit toSplitType(String splitId, ChangeStreamSplitState state) {
        return state.toSplit();
    }
}
