package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

import io.mongoresume.connectors.snapshot.SnapshotSourceOptions;
import io.mongoresume.connectors.snapshot.event.CollectionsDoneEvent;
import io.mongoresume.connectors.snapshot.event.SplitsFinishedEvent;
import io.mongoresume.connectors.snapshot.event.SplitsHeldEvent;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Hands out splits on request and takes the readers' registrations and reports; the rest it
 * delegates. {@link SnapshotPhases} resolves the collections, prepares the target for all of them
 * and partitions them one at a time on the context's worker thread, beginning with the first
 * reader; {@link CollectionTable} and {@link SnapshotSplitAssigner} keep the collections, the
 * splits and the breakpoint. All state lives on the coordinator thread: the worker reports back
 * only through {@link SplitEnumeratorContext#runInCoordinatorThread}, in order, so a checkpoint
 * always sees produced splits together with the scan position after them.
 *
 * <p>A <b>continuous</b> source (the snapshot beside a change stream) never ends: it snapshots
 * collections that appear later (with a regex selection), and tells every reader when a collection
 * has been read in full ({@link CollectionsDoneEvent}), and again to a reader that (re)starts; a
 * reader holding a split of a collection is never told (it reports its restored splits first,
 * {@link SplitsHeldEvent}).
 */
@Internal
public final class SnapshotEnumerator implements SplitEnumerator<SnapshotSplit, SnapshotEnumState> {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotEnumerator.class);

    private final SplitEnumeratorContext<SnapshotSplit> context;
    private final SnapshotSourceOptions options;
    private final SourceCatalog.Factory catalogFactory;
    private final CollectionTable collections;
    private final SnapshotSplitAssigner assigner;
    private final Set<Integer> awaitingReaders = new TreeSet<>();

    /**
     * The partition options of the restored state; null on a fresh start or in states that lack
     * them.
     */
    @Nullable private final PartitionSettings restoredPartitionSettings;

    @Nullable private SnapshotPhases phases;

    public SnapshotEnumerator(
            SplitEnumeratorContext<SnapshotSplit> context,
            SnapshotSourceOptions options,
            SnapshotEnumState state,
            SourceCatalog.Factory catalogFactory) {
        this.context = checkNotNull(context);
        this.options = checkNotNull(options);
        this.catalogFactory = checkNotNull(catalogFactory);
        restoredPartitionSettings = state.partitionSettings();
        collections = new CollectionTable(state);
        assigner =
                new SnapshotSplitAssigner(
                        options, state, collections, context.currentParallelism(), this::announce);
    }

    @Override
    public void start() {
        EnumeratorMetrics metrics = new EnumeratorMetrics(context.metricGroup());
        collections.open(metrics);
        phases =
                new SnapshotPhases(
                        context,
                        options,
                        collections,
                        assigner,
                        catalogFactory.open(),
                        this::assignPending);
        if (collections.isResolved()) {
            retireUnselected();
            LOG.info("Snapshot enumerator restored: {}", collections.all());
            CollectionPartitioning.checkResume(
                    restoredPartitionSettings, options, collections.all());
        }
        phases.start();
    }

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
        phases.begin();
        awaitingReaders.add(subtaskId);
        assignPending();
    }

    /** See {@link SnapshotSplitAssigner#addSplitsBack}: every split given back is read again. */
    @Override
    public void addSplitsBack(List<SnapshotSplit> splits, int subtaskId) {
        assigner.addSplitsBack(splits, subtaskId);
        awaitingReaders.remove(subtaskId);
        assignPending();
    }

    @Override
    public void addReader(int subtaskId) {
        // Readers ask for splits themselves; the first one starts the work.
        phases.begin();
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent sourceEvent) {
        if (sourceEvent instanceof SplitsFinishedEvent) {
            assigner.splitsFinished(((SplitsFinishedEvent) sourceEvent).namespacesBySplitId());
        } else if (sourceEvent instanceof SplitsHeldEvent) {
            onSplitsHeld(subtaskId, ((SplitsHeldEvent) sourceEvent).splitIds());
        } else {
            LOG.warn("Ignoring unexpected source event {} from reader {}", sourceEvent, subtaskId);
        }
    }

    private void onSplitsHeld(int subtaskId, List<String> held) {
        assigner.splitsHeld(subtaskId, held);
        if (options.continuous()) {
            // Finished collections this reader holds no split of (a restarted reader hears them
            // again).
            List<String> done = collections.finished();
            if (!done.isEmpty()) {
                context.sendEventToSourceReader(subtaskId, new CollectionsDoneEvent(done));
            }
        }
    }

    /**
     * A resume whose job file no longer selects some collections: their snapshot stops where it is
     * (what was copied stays at the target) and the enumerator forgets them.
     */
    private void retireUnselected() {
        Set<String> retired = new TreeSet<>();
        for (String namespace : collections.names()) {
            if (!options.selection().matchesNamespace(namespace)) {
                retired.add(namespace);
            }
        }
        if (retired.isEmpty()) {
            return;
        }
        collections.remove(retired);
        int dropped = assigner.retire(retired);
        LOG.info(
                "{} collection(s) are no longer selected by {}; their snapshot ends here ({} unread or"
                        + " unfinished split(s) dropped): {}",
                retired.size(),
                options.selection(),
                dropped,
                retired);
    }

    /** Tells every reader that a collection (a namespace) is read in full (continuous mode). */
    private void announce(String namespace) {
        if (!options.continuous()) {
            return;
        }
        for (Integer reader : context.registeredReaders().keySet()) {
            context.sendEventToSourceReader(reader, new CollectionsDoneEvent(List.of(namespace)));
        }
    }

    /**
     * Serves waiting readers; signals the end once every collection is partitioned and handed out.
     */
    private void assignPending() {
        boolean allPartitioned = collections.allPartitioned();
        Set<Integer> registered = context.registeredReaders().keySet();
        for (Integer reader : new ArrayList<>(awaitingReaders)) {
            if (!registered.contains(reader)) {
                awaitingReaders.remove(reader);
                continue;
            }
            Optional<SnapshotSplit> split = assigner.getNext();
            if (split.isPresent()) {
                context.assignSplit(split.get(), reader);
                awaitingReaders.remove(reader);
            } else if (allPartitioned && !options.continuous()) {
                context.signalNoMoreSplits(reader);
                awaitingReaders.remove(reader);
            }
        }
    }

    @Override
    public SnapshotEnumState snapshotState(long checkpointId) {
        return assigner.snapshotState(checkpointId);
    }

    @Override
    public void close() {
        if (phases != null) {
            phases.close();
        }
    }
}
