package io.mongoresume.connectors.snapshot.reader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.snapshot.SnapshotSourceOptions;
import io.mongoresume.connectors.snapshot.enumerator.SplitsFinishedEvent;
import io.mongoresume.connectors.snapshot.enumerator.SplitsHeldEvent;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;
import io.mongoresume.connectors.snapshot.split.SnapshotSplitState;

/**
 * Reads snapshot splits one after the other with one fetcher thread, asking the enumerator for the
 * next split when one is done and telling it which splits finished. On start it tells the
 * enumerator which splits it restored ({@link SplitsHeldEvent}), so finished splits are counted
 * exactly across restores.
 */
@Internal
public final class SnapshotSourceReader
        extends SingleThreadMultiplexSourceReaderBase<
                SnapshotRecord, MigrationEvent, SnapshotSplit, SnapshotSplitState> {

    SnapshotSourceReader(
            Supplier<SplitReader<SnapshotRecord, SnapshotSplit>> splitReaderSupplier,
            SnapshotRecordEmitter recordEmitter,
            Configuration config,
            SourceReaderContext context) {
        super(splitReaderSupplier, recordEmitter, config, context);
    }

    /** A reader for the source's splits with its own metrics and Mongo client. */
    public static SnapshotSourceReader create(
            SnapshotSourceOptions options, SourceReaderContext context) {
        ReaderMetrics metrics = new ReaderMetrics(context.metricGroup());
        CollectionReadPlans plans = new CollectionReadPlans();
        return new SnapshotSourceReader(
                () -> new SnapshotSplitReader(options, metrics, plans),
                new SnapshotRecordEmitter(metrics),
                context.getConfiguration(),
                context);
    }

    /** Splits restored from the checkpoint (added before {@link #start()}). */
    private final Set<String> restoredSplitIds = new LinkedHashSet<>();

    private boolean started;

    @Override
    public void addSplits(List<SnapshotSplit> splits) {
        if (!started) {
            splits.forEach(s -> restoredSplitIds.add(s.splitId()));
        }
        super.addSplits(splits);
    }

    @Override
    public void start() {
        started = true;
        context.sendSourceEventToCoordinator(new SplitsHeldEvent(restoredSplitIds));
        if (getNumberOfCurrentlyAssignedSplits() == 0) {
            context.sendSplitRequest();
        }
    }

    @Override
    protected void onSplitFinished(Map<String, SnapshotSplitState> finishedSplitIds) {
        Map<String, String> collections = new LinkedHashMap<>();
        for (Map.Entry<String, SnapshotSplitState> e : finishedSplitIds.entrySet()) {
            collections.put(e.getKey(), e.getValue().split().collection());
        }
        context.sendSourceEventToCoordinator(new SplitsFinishedEvent(collections));
        context.sendSplitRequest();
    }

    @Override
    protected SnapshotSplitState initializedState(SnapshotSplit split) {
        return new SnapshotSplitState(split);
    }

    @Override
    protected SnapshotSplit toSplitType(String splitId, SnapshotSplitState state) {
        return state.toSplit();
    }
}
