package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.util.FlinkRuntimeException;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.snapshot.SnapshotSourceOptions;
import io.mongoresume.connectors.snapshot.enumerator.partition.CountScanPosition;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The enumerator's work on the context's worker thread, one task at a time: resolving the selected
 * collections, then preparing the target of every collection not prepared yet ({@link
 * TargetPreparation}), then partitioning the next collection not cut yet ({@link
 * CollectionPartitioning}). Collections are named by namespace ({@code database.collection}),
 * across the databases the selection may match. A collection that appears later (continuous, with a
 * selection that is not an explicit list), in a known database or a new one, takes the same steps.
 * Every result comes back through the coordinator thread into the {@link CollectionTable} and the
 * {@link SnapshotSplitAssigner}.
 *
 * <p>Nothing starts before the first reader registers. A job restored from a checkpoint or
 * savepoint in which this source had already finished gets a fresh enumerator (Flink keeps no state
 * for a finished source) whose readers never start: waiting for a reader keeps that enumerator from
 * resolving, partitioning and, above all, preparing (clearing or dropping) the target again.
 */
final class SnapshotPhases {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPhases.class);

    private final SplitEnumeratorContext<SnapshotSplit> context;
    private final SnapshotSourceOptions options;
    private final CollectionTable collections;
    private final SnapshotSplitAssigner assigner;
    private final SourceCatalog catalog;
    private final TargetPreparation preparation;
    private final CollectionPartitioning partitioning;

    /**
     * Serves the waiting readers: after new splits, and once every collection is cut (the end may
     * be due).
     */
    private final Runnable serveReaders;

    /** Whether a worker task (resolving, preparing or partitioning) is under way. */
    private boolean workerBusy;

    /** Whether the work began: it waits for the first reader (see the class comment). */
    private boolean begun;

    private volatile boolean closed;

    SnapshotPhases(
            SplitEnumeratorContext<SnapshotSplit> context,
            SnapshotSourceOptions options,
            CollectionTable collections,
            SnapshotSplitAssigner assigner,
            SourceCatalog catalog,
            Runnable serveReaders) {
        this.context = checkNotNull(context);
        this.options = checkNotNull(options);
        this.collections = checkNotNull(collections);
        this.assigner = checkNotNull(assigner);
        this.catalog = checkNotNull(catalog);
        this.serveReaders = checkNotNull(serveReaders);
        this.preparation =
                new TargetPreparation(context, options, assigner.migrationId(), () -> closed);
        this.partitioning = new CollectionPartitioning(context, options, collections, () -> closed);
    }

    /**
     * Begins if a reader is there already, and looks for new collections from now on if asked to.
     */
    void start() {
        if (!context.registeredReaders().isEmpty()) {
            begin();
        }
        if (options.continuous()
                && options.selection().followsNewCollections()
                && options.discoveryIntervalMillis() > 0) {
            context.callAsync(
                    catalog::listNamespaces,
                    this::onDiscovery,
                    options.discoveryIntervalMillis(),
                    options.discoveryIntervalMillis());
        }
    }

    /** A reader is there: the first one starts the work. */
    void begin() {
        if (begun || closed) {
            return;
        }
        begun = true;
        if (collections.isResolved()) {
            // Restored: collections the job file selects now and the breakpoint does not know.
            workerBusy = true;
            context.callAsync(
                    () -> options.selection().filterNamespaces(catalog.listNamespaces()),
                    this::onRestoredListing);
        } else {
            workerBusy = true;
            context.callAsync(
                    () -> {
                        List<String> resolved =
                                options.selection().resolveNamespaces(catalog.listNamespaces());
                        context.runInCoordinatorThread(() -> onCollectionsResolved(resolved));
                        return null;
                    },
                    this::onWorkerFailure);
        }
    }

    private void onCollectionsResolved(List<String> namespaces) {
        if (closed) {
            return;
        }
        LOG.info(
                "Snapshot of {} collection(s) selected by {}: {}",
                namespaces.size(),
                options.selection(),
                namespaces);
        collections.addResolved(namespaces);
        workerBusy = false;
        scheduleNextCollection();
    }

    private void onRestoredListing(@Nullable List<String> namespaces, @Nullable Throwable error) {
        if (closed) {
            return;
        }
        workerBusy = false;
        if (error != null) {
            onWorkerFailure(null, error);
            return;
        }
        List<String> added = new ArrayList<>(namespaces);
        added.removeAll(collections.names());
        if (!added.isEmpty()) {
            LOG.info(
                    "Collection(s) selected by {} to snapshot that the savepoint does not know"
                            + " (selected since, or created while the job was stopped): {}",
                    options.selection(),
                    added);
            collections.add(added);
        }
        scheduleNextCollection();
    }

    /**
     * A collection that appeared since the start (created, renamed into the selection, written by
     * {@code $out}, restored) is snapshotted like the others. Its change stream started before it
     * existed, so its rows are read after its stream's start, and the merge sees them as it sees
     * any.
     */
    private void onDiscovery(@Nullable List<String> namespaces, @Nullable Throwable error) {
        if (closed || !collections.isResolved()) {
            return;
        }
        if (error != null) {
            LOG.warn(
                    "Looking for new collections selected by {} failed; trying again",
                    options.selection(),
                    error);
            return;
        }
        List<String> found = new ArrayList<>(options.selection().filterNamespaces(namespaces));
        found.removeAll(collections.names());
        if (found.isEmpty()) {
            return;
        }
        LOG.info(
                "New collection(s) selected by {} to snapshot: {} (appeared after the start; their"
                        + " change streams follow them from before they existed)",
                options.selection(),
                found);
        collections.add(found);
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
        List<String> unprepared = collections.unprepared();
        if (!unprepared.isEmpty()) {
            workerBusy = true;
            List<String> all = new ArrayList<>(collections.names());
            context.callAsync(
                    () ->
                            preparation.prepare(
                                    unprepared,
                                    all,
                                    this::onPrepared,
                                    () -> onAllPrepared(unprepared)),
                    this::onWorkerFailure);
            return;
        }
        CollectionProgress next = collections.nextToPartition();
        if (next == null) {
            serveReaders.run();
            return;
        }
        workerBusy = true;
        context.callAsync(
                () -> partitioning.partition(catalog, next, this::onSplits), this::onWorkerFailure);
    }

    private void onWorkerFailure(@Nullable Object ignored, @Nullable Throwable error) {
        if (error == null || closed) {
            return;
        }
        throw new FlinkRuntimeException(
                "Snapshot source of "
                        + options.selection()
                        + " failed: "
                        + MongoConnectionOptions.mask(error.getMessage()),
                error);
    }

    private void onPrepared(String namespace) {
        if (closed) {
            return;
        }
        collections.prepared(namespace);
    }

    private void onAllPrepared(List<String> namespaces) {
        if (closed) {
            return;
        }
        namespaces.forEach(this::onPrepared);
        workerBusy = false;
        scheduleNextCollection();
    }

    private void onSplits(
            String namespace,
            List<SnapshotSplit> splits,
            CountScanPosition position,
            boolean done) {
        if (closed) {
            return;
        }
        assigner.addSplits(namespace, splits, position, done);
        if (done) {
            workerBusy = false;
            scheduleNextCollection();
        }
        serveReaders.run();
    }

    void close() {
        closed = true;
        catalog.close();
    }
}
