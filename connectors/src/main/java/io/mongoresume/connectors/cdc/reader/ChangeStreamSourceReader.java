package io.mongoresume.connectors.cdc.reader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;

import io.mongoresume.connectors.cdc.split.ChangeStreamSplit;
import io.mongoresume.connectors.cdc.split.ChangeStreamSplitState;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.event.MigrationEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
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

    private static final Logger LOG = LoggerFactory.getLogger(ChangeStreamSourceReader.class);

    private final CollectionSelection selection;

    public ChangeStreamSourceReader(
            Supplier<SplitReader<ChangeStreamRecord, ChangeStreamSplit>> splitReaderSupplier,
            ChangeStreamRecordEmitter emitter,
            SourceReaderContext context,
            CollectionSelection selection) {
        super(splitReaderSupplier, emitter, context.getConfiguration(), context);
        this.selection = selection;
    }

    /**
     * Restored streams of collections the job no longer selects (the job file changed at a resume)
     * end here: they are not read, and leave the reader's state with the next checkpoint.
     */
    @Override
    public void addSplits(List<ChangeStreamSplit> splits) {
        super.addSplits(
                selection.selected(
                        splits,
                        ChangeStreamSplit::database,
                        ChangeStreamSplit::collection,
                        s ->
                                LOG.info(
                                        "Not reading the change stream of {}: no longer selected",
                                        s.splitId())));
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
