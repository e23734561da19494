package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.util.FlinkRuntimeException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;

import io.mongoresume.connectors.common.CollectionPreparer;
import io.mongoresume.connectors.common.UnrecoverableException;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.snapshot.SnapshotSourceOptions;
import io.mongoresume.connectors.snapshot.enumerator.partition.CountScanPosition;
import io.mongoresume.connectors.snapshot.enumerator.partition.PartitionContext;
import io.mongoresume.connectors.snapshot.enumerator.partition.Partitioners;
import io.mongoresume.connectors.snapshot.query.CollectionReadPlan;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Resolves the collections, prepares the target for all of them, partitions them one at a time on the
 * context's worker thread, and hands out splits on request. All state lives on the coordinator thread: the
 * worker reports back only through {@link SplitEnumeratorContext#runInCoordinatorThread}, in order, so a
 * checkpoint always sees produced splits together with the scan position after them.
 *
 * <p>Nothing starts before the first reader registers. A job restored from a checkpoint or savepoint in which
 * this source had already finished gets a fresh enumerator (Flink keeps no state for a finished source) whose
 * readers never start: waiting for a reader keeps that enumerator from resolving, partitioning and, above
 * all, preparing (clearing or dropping) the target again.
 *
 * <p>A <b>continuous</b> source (the snapshot beside a change stream) never ends: it snapshots collections
 * that appear later (with a regex selection), and tells every reader when a collection has been read in full
 * ({@link CollectionsDoneEvent}), and again to a reader that (re)starts; a reader holding a split of a
 * collection is never told (it reports its restored splits first, {@link SplitsHeldEvent}).
 *
 * <p>A split counts as finished for good only once a checkpoint covers its rows. Splits a failed reader
 * gives back ({@link #addSplitsBack}: those assigned after the checkpoint the reader restarts from) are read
 * again, even when the reader had reported them finished: their rows may not have reached the target.
 */
@Internal
public final class SnapshotEnumerator implements SplitEnumerator<SnapshotSplit, SnapshotEnumState> {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotEnumerator.class);

    private final SplitEnumeratorContext<SnapshotSplit> context;
    private final SnapshotSourceOptions options;
    private final SourceCatalog.Factory catalogFactory;

    private final SnapshotSplitAssigner assigner;
    private final Set<Integer> awaitingReaders = new TreeSet<>();

    /** The partition options of the restored state; null on a fresh start or in states that lack them. */
    @Nullable private final PartitionSettings restoredPartitionSettings;

    @Nullable private SourceCatalog catalog;
    @Nullable private EnumeratorMetrics metrics;

    /** Whether a worker task (resolving, preparing or partitioning) is under way. */
    private boolean workerBusy;

    /** Whether the work began: it waits for the first reader (see the class comment). */
    private boolean begun;

    private volatile boolean closed;

    public SnapshotEnumerator(
            SplitEnumeratorContext<SnapshotSplit> context,
            SnapshotSourceOptions options,
            SnapshotEnumState state,
            SourceCatalog.Factory catalogFactory) {
        this.context = checkNotNull(context);
        this.options = checkNotNull(options);
        this.catalogFactory = checkNotNull(catalogFactory);
        restoredPartitionSettings = state.partitionSettings();
        assigner =
                new SnapshotSplitAssigner(
                        options, state, context.currentParallelism(), this::announce);
    }

    @Override
    public void start() {
        metrics = new EnumeratorMetrics(context.metricGroup(), options.database());
        assigner.open(metrics);
        catalog = catalogFactory.open();
        if (assigner.collectionsResolved()) {
            LOG.info("Snapshot enumerator restored: {}", assigner.collections());
            checkPartitionSettings();
        }
        if (!context.registeredReaders().isEmpty()) {
            begin();
        }
        if (options.continuous()
                && options.collections() == null
                && options.discoveryIntervalMillis() > 0) {
            SourceCatalog cat = catalog;
            context.callAsync(
                    cat::listCollectionNames,
                    this::onDiscovery,
                    options.discoveryIntervalMillis(),
                    options.discoveryIntervalMillis());
        }
    }

    /**
     * A collection that appeared since the start (created, renamed into the selection, written by
     * {@code $out}, restored) is snapshotted like the others. Its change stream started before it existed,
     * so its rows are read after its stream's start, and the merge sees them as it sees any.
     */
    private void onDiscovery(@Nullable List<String> names, @Nullable Throwable error) {
        if (closed || !assigner.collectionsResolved()) {
            return;
        }
        if (error != null) {
            LOG.warn("Looking for new collections of {} failed; trying again", options.database(), error);
            return;
        }
        List<String> found = CollectionListing.newlyMatching(options, names, assigner.collectionNames());
        if (found.isEmpty()) {
            return;
        }
        LOG.info(
                "New collection(s) of {} to snapshot: {} (appeared after the start; their change streams"
                        + " follow them from before they existed)",
                options.database(),
                found);
        assigner.appeared(found);
        scheduleNextCollection();
    }

    /**
     * A resume with other partition options: collections already partitioned keep their splits, the others
     * are cut with the new options; a strategy change in the middle of a collection's partitioning cannot be
     * honoured and is refused.
     */
    private void checkPartitionSettings() {
        PartitionSettings now = PartitionSettings.of(options);
        PartitionSettings then = restoredPartitionSettings;
        if (then == null || then.cutsLike(now)) {
            return;
        }
        List<String> partitioned = new ArrayList<>();
        List<String> midway = new ArrayList<>();
        List<String> notStarted = new ArrayList<>();
        for (CollectionProgress c : assigner.collections()) {
            (c.phase() == CollectionPhase.DONE
                            ? partitioned
                            : c.phase() == CollectionPhase.PARTITIONING ? midway : notStarted)
                    .add(c.collection());
        }
        if (!midway.isEmpty() && then.strategy() != now.strategy()) {
            throw new UnrecoverableException(
                    "Refusing to resume: the checkpoint or savepoint was partitioning "
                            + midway
                            + " of "
                            + options.database()
                            + " with "
                            + then
                            + ", and the job file says "
                            + now
                            + "; a collection cannot switch strategies halfway. Resume with "
                            + then
                            + " (the new strategy can be set once the log says those collections are"
                            + " partitioned), or start a new migration. Nothing was written.");
        }
        LOG.info(
                "Partition options changed since the checkpoint or savepoint ({} there, {} now):"
                        + " partitioned already, keeping their splits: {}; partitioning continues with the new"
                        + " options: {}; not partitioned yet, cut with the new options: {}",
                then,
                now,
                partitioned,
                midway,
                notStarted);
    }

    private void begin() {
        if (begun || closed) {
            return;
        }
        begun = true;
        if (assigner.collectionsResolved()) {
            scheduleNextCollection();
        } else {
            workerBusy = true;
            SourceCatalog cat = catalog;
            context.callAsync(
                    () -> {
                        List<String> resolved =
                                CollectionListing.resolveCollections(options, cat.listCollectionNames());
                        context.runInCoordinatorThread(() -> onCollectionsResolved(resolved));
                        return null;
                    },
                    this::onWorkerFailure);
        }
    }

    private void onCollectionsResolved(List<String> names) {
        if (closed) {
            return;
        }
        LOG.info(
                "Snapshot of {} collections of database '{}': {}",
                names.size(),
                options.database(),
                names);
        assigner.resolved(names);
        workerBusy = false;
        scheduleNextCollection();
    }

    /**
     * Starts preparing and partitioning the next collection that is not done, if the worker is
     * free.
     */
    private void scheduleNextCollection() {
        if (workerBusy || closed) {
            return;
        }
        List<String> unprepared = assigner.unprepared();
        if (!unprepared.isEmpty()) {
            workerBusy = true;
            List<String> all = new ArrayList<>(assigner.collectionNames());
            context.callAsync(() -> prepareTargets(unprepared, all), this::onWorkerFailure);
            return;
        }
        CollectionProgress next = assigner.nextToPartition();
        if (next == null) {
            assignPending();
            return;
        }
        workerBusy = true;
        CollectionProgress start = next;
        SourceCatalog cat = checkNotNull(catalog);
        context.callAsync(() -> partition(cat, start), this::onWorkerFailure);
    }

    /**
     * Worker thread: prepares the target of every collection before any split is read (and before the
     * change streams may write: they wait for {@link CollectionPreparer#isComplete}).
     */
    private Void prepareTargets(List<String> unprepared, List<String> all) throws Exception {
        CollectionPreparer preparer = options.collectionPreparer();
        preparer.claim(assigner.migrationId(), options.database(), unprepared);
        if (preparer.isComplete(assigner.migrationId(), options.database())) {
            // Prepared before (by an earlier attempt of this start, or these appeared since): changes may
            // have been written already, so create what is missing and never clear or drop.
            for (String name : unprepared) {
                preparer.prepareKeeping(options.database(), name);
            }
        } else {
            for (String name : unprepared) {
                if (closed) {
                    throw new CancellationException("Snapshot enumerator closed");
                }
                preparer.prepare(options.database(), name);
                context.runInCoordinatorThread(() -> onPrepared(name));
            }
            preparer.complete(assigner.migrationId(), options.database(), all);
        }
        context.runInCoordinatorThread(() -> onAllPrepared(unprepared));
        return null;
    }

    /** Runs on the worker thread; reports every result through the coordinator thread. */
    private Void partition(SourceCatalog cat, CollectionProgress start) throws Exception {
        String name = start.collection();
        long estimated = cat.estimatedDocumentCount(name);
        context.runInCoordinatorThread(() -> metrics.estimatedDocuments(name, estimated));
        CollectionReadPlan plan = cat.readPlan(name);
        LOG.info(
                "Snapshot of {}.{}: {}",
                options.database(),
                name,
                plan.describe(
                        options.splitQueryMode(), options.batchReadLimit(), options.fetchSize()));
        PartitionContext partitionContext =
                new PartitionContext(
                        options.database(),
                        name,
                        options.partitionSize(),
                        options.partitionCount(),
                        start.splitsTotal(),
                        start.scanPosition(),
                        cat.idSource(name));
        long started = System.currentTimeMillis();
        List<SnapshotSplit> last =
                Partitioners.of(options.partitionStrategy())
                        .partition(
                                partitionContext,
                                (splits, position) -> {
                                    if (closed) {
                                        throw new CancellationException(
                                                "Snapshot enumerator closed");
                                    }
                                    List<SnapshotSplit> planned = withPlan(plan, splits);
                                    context.runInCoordinatorThread(
                                            () -> onSplits(name, planned, position, false));
                                });
        long tookMillis = System.currentTimeMillis() - started;
        context.runInCoordinatorThread(
                () -> {
                    onSplits(name, withPlan(plan, last), CountScanPosition.START, true);
                    LOG.info(
                            "Partitioned {}.{} ({}) in {} ms: {} splits, ~{} documents",
                            options.database(),
                            name,
                            options.partitionStrategy(),
                            tookMillis,
                            assigner.progress(name).splitsTotal(),
                            estimated);
                });
        return null;
    }

    /** The splits carrying the collection's read plan, so readers need not ask the server again. */
    private static List<SnapshotSplit> withPlan(CollectionReadPlan plan, List<SnapshotSplit> splits) {
        List<SnapshotSplit> planned = new ArrayList<>(splits.size());
        for (SnapshotSplit split : splits) {
            planned.add(split.withReadPlan(plan));
        }
        return planned;
    }

    private void onWorkerFailure(@Nullable Object ignored, @Nullable Throwable error) {
        if (error == null || closed) {
            return;
        }
        throw new FlinkRuntimeException(
                "Snapshot source of database '"
                        + options.database()
                        + "' failed: "
                        + MongoConnectionOptions.mask(error.getMessage()),
                error);
    }

    private void onPrepared(String name) {
        if (closed) {
            return;
        }
        assigner.prepared(name);
    }

    private void onAllPrepared(List<String> names) {
        if (closed) {
            return;
        }
        names.forEach(this::onPrepared);
        workerBusy = false;
        scheduleNextCollection();
    }

    private void onSplits(
            String name, List<SnapshotSplit> splits, CountScanPosition position, boolean done) {
        if (closed) {
            return;
        }
        assigner.addSplits(name, splits, position, done);
        if (done) {
            workerBusy = false;
            scheduleNextCollection();
        }
        assignPending();
    }

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
        begin();
        awaitingReaders.add(subtaskId);
        assignPending();
    }

    @Override
    public void addSplitsBack(List<SnapshotSplit> splits, int subtaskId) {
        assigner.addSplitsBack(splits, subtaskId);
        awaitingReaders.remove(subtaskId);
        assignPending();
    }

    @Override
    public void addReader(int subtaskId) {
        // Readers ask for splits themselves; the first one starts the work.
        begin();
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent sourceEvent) {
        if (sourceEvent instanceof SplitsFinishedEvent) {
            assigner.splitsFinished(((SplitsFinishedEvent) sourceEvent).collectionsBySplitId());
        } else if (sourceEvent instanceof SplitsHeldEvent) {
            onSplitsHeld(subtaskId, ((SplitsHeldEvent) sourceEvent).splitIds());
        } else {
            LOG.warn("Ignoring unexpected source event {} from reader {}", sourceEvent, subtaskId);
        }
    }

    private void onSplitsHeld(int subtaskId, List<String> held) {
        assigner.splitsHeld(subtaskId, held);
        if (options.continuous()) {
            // Finished collections this reader holds no split of (a restarted reader hears them again).
            List<String> done = assigner.finishedCollections();
            if (!done.isEmpty()) {
                context.sendEventToSourceReader(subtaskId, new CollectionsDoneEvent(done));
            }
        }
    }

    /** Tells every reader that a collection is read in full (continuous mode). */
    private void announce(String collection) {
        if (!options.continuous()) {
            return;
        }
        for (Integer reader : context.registeredReaders().keySet()) {
            context.sendEventToSourceReader(reader, new CollectionsDoneEvent(List.of(collection)));
        }
    }

    /**
     * Serves waiting readers; signals the end once every collection is partitioned and handed out.
     */
    private void assignPending() {
        boolean allPartitioned = assigner.allPartitioned();
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
        closed = true;
        if (catalog != null) {
            catalog.close();
        }
    }
}
