package io.mongoresume.connectors.snapshot.reader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.core.io.InputStatus;

import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.snapshot.SnapshotSourceOptions;
import io.mongoresume.connectors.snapshot.event.CollectionsDoneEvent;
import io.mongoresume.connectors.snapshot.event.SplitsFinishedEvent;
import io.mongoresume.connectors.snapshot.event.SplitsHeldEvent;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;
import io.mongoresume.connectors.snapshot.split.SnapshotSplitState;
import org.bson.BsonArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

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

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSourceReader.class);

    SnapshotSourceReader(
            Supplier<SplitReader<SnapshotRecord, SnapshotSplit>> splitReaderSupplier,
            SnapshotRecordEmitter recordEmitter,
            Configuration config,
            SourceReaderContext context,
            CollectionSelection selection,
            @Nullable MarkerRouting routing) {
        super(splitReaderSupplier, recordEmitter, config, context);
        this.selection = selection;
        this.routing = routing;
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
                context,
                options.selection(),
                options.markerRouting());
    }

    private final CollectionSelection selection;

    /** Where markers go; null when the source announces nothing (a bounded snapshot). */
    @Nullable private final MarkerRouting routing;

    /**
     * Markers to emit before the next record, and the signal that wakes an idle reader for them.
     */
    private final Deque<MigrationEvent> markers = new ArrayDeque<>();

    private CompletableFuture<Void> markersArrived = new CompletableFuture<>();

    /** Splits restored from the checkpoint (added before {@link #start()}). */
    private final Set<String> restoredSplitIds = new LinkedHashSet<>();

    private boolean started;

    /**
     * Restored splits of collections the job no longer selects (the job file changed at a resume)
     * are not read: the enumerator has forgotten them, and they leave this reader's state with the
     * next checkpoint.
     */
    @Override
    public void addSplits(List<SnapshotSplit> splits) {
        List<SnapshotSplit> selected =
                selection.selected(
                        splits,
                        SnapshotSplit::database,
                        SnapshotSplit::collection,
                        s ->
                                LOG.info(
                                        "Not reading snapshot split {}: no longer selected",
                                        s.splitId()));
        if (!started) {
            selected.forEach(s -> restoredSplitIds.add(s.splitId()));
        }
        super.addSplits(selected);
    }

    @Override
    public void start() {
        started = true;
        context.sendSourceEventToCoordinator(new SplitsHeldEvent(List.copyOf(restoredSplitIds)));
        if (getNumberOfCurrentlyAssignedSplits() == 0) {
            context.sendSplitRequest();
        }
    }

    @Override
    protected void onSplitFinished(Map<String, SnapshotSplitState> finishedSplitIds) {
        Map<String, String> namespaces = new LinkedHashMap<>();
        for (Map.Entry<String, SnapshotSplitState> e : finishedSplitIds.entrySet()) {
            namespaces.put(e.getKey(), e.getValue().split().namespace());
        }
        context.sendSourceEventToCoordinator(new SplitsFinishedEvent(namespaces));
        context.sendSplitRequest();
    }

    /**
     * Every split of these collections was read (this reader holds none): tell every merge subtask,
     * after all rows this reader has emitted (they are out already: a split is reported finished
     * only once its last row was emitted).
     */
    @Override
    public void handleSourceEvents(SourceEvent event) {
        if (!(event instanceof CollectionsDoneEvent) || routing == null) {
            super.handleSourceEvents(event);
            return;
        }
        int reader = context.getIndexOfSubtask();
        int readers = context.currentParallelism();
        for (String namespace : ((CollectionsDoneEvent) event).namespaces()) {
            String database = CollectionSelection.databaseOf(namespace);
            String collection = CollectionSelection.collectionOf(namespace);
            for (BsonArray id : routing.routingIds(database, collection)) {
                markers.add(MigrationEvent.snapshotDone(database, collection, id, reader, readers));
            }
        }
        markersArrived.complete(null);
    }

    @Override
    public InputStatus pollNext(ReaderOutput<MigrationEvent> output) throws Exception {
        MigrationEvent marker = markers.poll();
        if (marker != null) {
            output.collect(marker);
            return InputStatus.MORE_AVAILABLE;
        }
        return super.pollNext(output);
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        if (!markers.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (markersArrived.isDone()) {
            markersArrived = new CompletableFuture<>();
        }
        return CompletableFuture.anyOf(super.isAvailable(), markersArrived)
                .thenApply(ignored -> null);
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
