package io.mongoresume.connectors.snapshot.enumerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import io.mongoresume.connectors.snapshot.SnapshotSourceOptions;
import io.mongoresume.connectors.snapshot.enumerator.partition.CountScanPosition;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The snapshot's breakpoint and who holds which split: each collection's progress, the splits not handed out
 * yet, those assigned and those finished. It hands out splits, counts the finished ones, settles a restore
 * with the readers' reports, and copies all of it into each checkpoint. Used on the coordinator thread only.
 *
 * <p>A split counts as finished for good only once a checkpoint covers its rows. Splits a failed reader
 * gives back ({@link #addSplitsBack}: those assigned after the checkpoint the reader restarts from) are read
 * again, even when the reader had reported them finished: their rows may not have reached the target.
 */
final class SnapshotSplitAssigner {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSplitAssigner.class);

    private final SnapshotSourceOptions options;

    /** Told when every split of a collection is read: once, and again after one of them was reopened. */
    private final Consumer<String> collectionFinished;

    private boolean collectionsResolved;
    private final Map<String, CollectionProgress> collections = new LinkedHashMap<>();
    private final Deque<SnapshotSplit> pending = new ArrayDeque<>();

    /** Split id to collection, for splits handed to readers and not reported finished. */
    private final Map<String, String> assigned = new LinkedHashMap<>();

    private final Set<String> finishedSplitIds = new LinkedHashSet<>();

    /**
     * After a restore: assigned splits no reader has yet said it holds ({@link SplitsHeldEvent}),
     * and the readers still to report. Once every reader reported, the splits left were finished
     * before the checkpoint (their finished event came after the enumerator's part of it).
     */
    private final Map<String, String> inDoubt = new LinkedHashMap<>();

    private final Set<Integer> readersToReport = new TreeSet<>();

    /** The migration's first start: what the target preparation is recorded under. */
    private final String migrationId;

    /** Finished collections {@link #collectionFinished} was told about; not kept in the state. */
    private final Set<String> reportedFinished = new TreeSet<>();

    @Nullable private EnumeratorMetrics metrics;

    SnapshotSplitAssigner(
            SnapshotSourceOptions options,
            SnapshotEnumState state,
            int parallelism,
            Consumer<String> collectionFinished) {
        this.options = checkNotNull(options);
        this.collectionFinished = checkNotNull(collectionFinished);
        this.collectionsResolved = state.collectionsResolved();
        for (CollectionProgress c : state.collections()) {
            collections.put(c.collection(), c);
        }
        pending.addAll(state.pendingSplits());
        assigned.putAll(state.assignedSplits());
        finishedSplitIds.addAll(state.finishedSplitIds());
        migrationId = state.migrationId() != null ? state.migrationId() : options.migrationId();
        if (!assigned.isEmpty()) {
            inDoubt.putAll(assigned);
            for (int i = 0; i < parallelism; i++) {
                readersToReport.add(i);
            }
        }
    }

    /** Starts keeping the metrics, beginning with the restored progress. */
    void open(EnumeratorMetrics metrics) {
        this.metrics = checkNotNull(metrics);
        collections.values().forEach(metrics::update);
    }

    boolean collectionsResolved() {
        return collectionsResolved;
    }

    String migrationId() {
        return migrationId;
    }

    CollectionProgress progress(String collection) {
        return collections.get(collection);
    }

    /** Every collection's progress, in the order the collections were added. */
    Collection<CollectionProgress> collections() {
        return Collections.unmodifiableCollection(collections.values());
    }

    Set<String> collectionNames() {
        return Collections.unmodifiableSet(collections.keySet());
    }

    /** The selection is resolved: these are the collections to snapshot. */
    void resolved(List<String> names) {
        add(names);
        collectionsResolved = true;
    }

    /** Collections that appeared after the start, to snapshot like the others. */
    void appeared(List<String> names) {
        add(names);
    }

    private void add(List<String> names) {
        for (String name : names) {
            CollectionProgress progress = CollectionProgress.notStarted(name);
            collections.put(name, progress);
            metrics.update(progress);
        }
    }

    List<String> unprepared() {
        List<String> unprepared = new ArrayList<>();
        for (CollectionProgress c : collections.values()) {
            if (!c.prepared()) {
                unprepared.add(c.collection());
            }
        }
        return unprepared;
    }

    void prepared(String collection) {
        collections.put(collection, collections.get(collection).asPrepared());
    }

    /** The first collection not cut into all its splits yet; null when every one is. */
    @Nullable
    CollectionProgress nextToPartition() {
        for (CollectionProgress c : collections.values()) {
            if (c.phase() != CollectionPhase.DONE) {
                return c;
            }
        }
        return null;
    }

    /** Splits of a collection, with the scan position after them; {@code done} when they are its last. */
    void addSplits(
            String collection, List<SnapshotSplit> splits, CountScanPosition position, boolean done) {
        CollectionProgress progress =
                collections.get(collection).withSplitsAdded(splits.size(), position, done);
        collections.put(collection, progress);
        pending.addAll(splits);
        metrics.update(progress);
        if (done) {
            reportIfFinished(collection);
        }
    }

    /** Whether every collection is resolved and cut into all its splits. */
    boolean allPartitioned() {
        return collectionsResolved
                && collections.values().stream().allMatch(c -> c.phase() == CollectionPhase.DONE);
    }

    /** The next split to hand out, recorded as assigned. */
    Optional<SnapshotSplit> getNext() {
        SnapshotSplit split = pending.pollFirst();
        if (split != null) {
            assigned.put(split.splitId(), split.collection());
        }
        return Optional.ofNullable(split);
    }

    /**
     * The splits assigned to a failed reader after the checkpoint it restarts from. None of them is covered
     * by a completed checkpoint, so each is read again from where it was assigned, also when the reader had
     * reported it finished: its rows may have been lost downstream with the failure.
     */
    void addSplitsBack(List<SnapshotSplit> splits, int subtaskId) {
        List<String> reopened = new ArrayList<>();
        for (int i = splits.size() - 1; i >= 0; i--) {
            SnapshotSplit split = splits.get(i);
            assigned.remove(split.splitId());
            inDoubt.remove(split.splitId());
            if (finishedSplitIds.remove(split.splitId())) {
                reopened.add(split.splitId());
                CollectionProgress progress = collections.get(split.collection());
                if (progress != null) {
                    progress = progress.withSplitReopened();
                    collections.put(split.collection(), progress);
                    metrics.update(progress);
                }
                reportedFinished.remove(split.collection());
            }
            pending.addFirst(split);
        }
        LOG.info(
                "Taking back {} splits from failed reader {} to read them again{}",
                splits.size(),
                subtaskId,
                reopened.isEmpty()
                        ? ""
                        : " (" + reopened.size() + " of them finished after the last checkpoint: " + reopened + ")");
    }

    void splitsFinished(Map<String, String> collectionsBySplitId) {
        for (Map.Entry<String, String> e : collectionsBySplitId.entrySet()) {
            splitFinished(e.getKey(), e.getValue());
        }
    }

    /** A reader's report of the splits it holds, sent when it (re)starts. */
    void splitsHeld(int subtaskId, List<String> held) {
        reopenHeldSplits(held);
        settleRestore(subtaskId, held);
    }

    /** The collections read in full. */
    List<String> finishedCollections() {
        List<String> done = new ArrayList<>();
        for (CollectionProgress c : collections.values()) {
            if (c.finished()) {
                done.add(c.collection());
            }
        }
        return done;
    }

    /**
     * A reader restarted without the enumerator (a failover of tasks only) holds, from its checkpoint,
     * splits it finished after that checkpoint: they are being read again, so they are not finished.
     */
    private void reopenHeldSplits(List<String> held) {
        for (String splitId : held) {
            if (!finishedSplitIds.remove(splitId)) {
                continue;
            }
            String collection = collectionOfSplit(splitId);
            CollectionProgress progress = collections.get(collection);
            if (progress == null) {
                continue;
            }
            assigned.put(splitId, collection);
            progress = progress.withSplitReopened();
            collections.put(collection, progress);
            metrics.update(progress);
            reportedFinished.remove(collection);
            LOG.info("Split {} is being read again by a restarted reader", splitId);
        }
    }

    /** The collection of a split id made by {@link SnapshotSplit#splitId}: {@code <db>.<coll>_<n>}. */
    private String collectionOfSplit(String splitId) {
        String rest = splitId.substring(options.database().length() + 1);
        return rest.substring(0, rest.lastIndexOf('_'));
    }

    private void settleRestore(int subtaskId, List<String> held) {
        if (!readersToReport.remove(subtaskId)) {
            return; // not settling a restore, or this reader reported already
        }
        held.forEach(inDoubt::remove);
        if (readersToReport.isEmpty() && !inDoubt.isEmpty()) {
            LOG.info(
                    "Splits {} were finished just before the checkpoint this job was restored from",
                    inDoubt.keySet());
            for (Map.Entry<String, String> e : new ArrayList<>(inDoubt.entrySet())) {
                splitFinished(e.getKey(), e.getValue());
            }
        }
        if (readersToReport.isEmpty()) {
            inDoubt.clear();
        }
    }

    private void splitFinished(String splitId, String collection) {
        if (assigned.remove(splitId) == null) {
            // Not held by a reader: a late report from an attempt that failed, whose split was taken back.
            LOG.debug("Ignoring the finish of split {}, which no reader holds", splitId);
            return;
        }
        inDoubt.remove(splitId);
        CollectionProgress progress = collections.get(collection);
        if (progress == null || !finishedSplitIds.add(splitId)) {
            return;
        }
        progress = progress.withSplitFinished();
        collections.put(collection, progress);
        metrics.update(progress);
        if (progress.finished()) {
            LOG.info(
                    "Snapshot of {}.{} finished: {} splits",
                    options.database(),
                    collection,
                    progress.splitsTotal());
            reportIfFinished(collection);
        }
    }

    private void reportIfFinished(String collection) {
        CollectionProgress progress = collections.get(collection);
        if (progress == null || !progress.finished() || !reportedFinished.add(collection)) {
            return;
        }
        collectionFinished.accept(collection);
    }

    /** A copy of the breakpoint. */
    SnapshotEnumState snapshotState(long checkpointId) {
        return new SnapshotEnumState(
                collectionsResolved,
                collections.values(),
                pending,
                assigned,
                finishedSplitIds,
                PartitionSettings.of(options),
                migrationId);
    }
}
