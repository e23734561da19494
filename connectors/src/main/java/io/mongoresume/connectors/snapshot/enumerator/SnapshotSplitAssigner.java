package io.mongoresume.connectors.snapshot.enumerator;

import io.mongoresume.connectors.snapshot.SnapshotSourceOptions;
import io.mongoresume.connectors.snapshot.enumerator.partition.CountScanPosition;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The snapshot's splits and who holds them: the splits not handed out yet, those assigned and those
 * finished. It hands out splits, counts the finished ones in their collection's progress, settles a
 * restore with the readers' reports, and copies all of it, with the {@link CollectionTable}, into
 * each checkpoint. Collections are named by namespace ({@code database.collection}). Used on the
 * coordinator thread only.
 *
 * <p>A split counts as finished for good only once a checkpoint covers its rows. Splits a failed
 * reader gives back ({@link #addSplitsBack}: those assigned after the checkpoint the reader
 * restarts from) are read again, even when the reader had reported them finished: their rows may
 * not have reached the target.
 */
final class SnapshotSplitAssigner {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSplitAssigner.class);

    private final SnapshotSourceOptions options;

    /**
     * Told (the namespace) when every split of a collection is read: once, and again after one of
     * them was reopened.
     */
    private final Consumer<String> collectionFinished;

    private final CollectionTable collections;
    private final Deque<SnapshotSplit> pending = new ArrayDeque<>();

    /** Split id to namespace, for splits handed to readers and not reported finished. */
    private final Map<String, String> assigned = new LinkedHashMap<>();

    private final Set<String> finishedSplitIds = new LinkedHashSet<>();

    private final RestoreSettlement restore;

    /** The migration's first start: what the target preparation is recorded under. */
    private final String migrationId;

    /** Finished collections {@link #collectionFinished} was told about; not kept in the state. */
    private final Set<String> reportedFinished = new TreeSet<>();

    SnapshotSplitAssigner(
            SnapshotSourceOptions options,
            SnapshotEnumState state,
            CollectionTable collections,
            int parallelism,
            Consumer<String> collectionFinished) {
        this.options = checkNotNull(options);
        this.collectionFinished = checkNotNull(collectionFinished);
        this.collections = checkNotNull(collections);
        pending.addAll(state.pendingSplits());
        assigned.putAll(state.assignedSplits());
        finishedSplitIds.addAll(state.finishedSplitIds());
        migrationId = state.migrationId() != null ? state.migrationId() : options.migrationId();
        restore = new RestoreSettlement(assigned, parallelism);
    }

    String migrationId() {
        return migrationId;
    }

    /**
     * Splits of a collection, with the scan position after them; {@code done} when they are its
     * last.
     */
    void addSplits(
            String namespace,
            List<SnapshotSplit> splits,
            CountScanPosition position,
            boolean done) {
        collections.update(
                collections.get(namespace).withSplitsAdded(splits.size(), position, done));
        pending.addAll(splits);
        if (done) {
            reportIfFinished(namespace);
        }
    }

    /** The next split to hand out, recorded as assigned. */
    Optional<SnapshotSplit> getNext() {
        SnapshotSplit split = pending.pollFirst();
        if (split != null) {
            assigned.put(split.splitId(), split.namespace());
        }
        return Optional.ofNullable(split);
    }

    /**
     * The splits assigned to a failed reader after the checkpoint it restarts from. None of them is
     * covered by a completed checkpoint, so each is read again from where it was assigned, also
     * when the reader had reported it finished: its rows may have been lost downstream with the
     * failure.
     */
    void addSplitsBack(List<SnapshotSplit> splits, int subtaskId) {
        List<String> reopened = new ArrayList<>();
        for (int i = splits.size() - 1; i >= 0; i--) {
            SnapshotSplit split = splits.get(i);
            assigned.remove(split.splitId());
            restore.forget(split.splitId());
            if (finishedSplitIds.remove(split.splitId())) {
                reopened.add(split.splitId());
                CollectionProgress progress = collections.get(split.namespace());
                if (progress != null) {
                    collections.update(progress.withSplitReopened());
                }
                reportedFinished.remove(split.namespace());
            }
            pending.addFirst(split);
        }
        LOG.info(
                "Taking back {} splits from failed reader {} to read them again{}",
                splits.size(),
                subtaskId,
                reopened.isEmpty()
                        ? ""
                        : " ("
                                + reopened.size()
                                + " of them finished after the last checkpoint: "
                                + reopened
                                + ")");
    }

    /**
     * Forgets the splits of collections the job no longer selects: pending ones are not handed out,
     * and those held by readers are dropped by the readers (see {@link
     * io.mongoresume.connectors.snapshot.reader.SnapshotSourceReader#addSplits}).
     *
     * @return how many splits were dropped
     */
    int retire(Set<String> retired) {
        int before = pending.size() + assigned.size();
        pending.removeIf(split -> retired.contains(split.namespace()));
        assigned.values().removeIf(retired::contains);
        finishedSplitIds.removeIf(id -> retired.contains(namespaceOfSplit(id)));
        reportedFinished.removeAll(retired);
        return before - pending.size() - assigned.size();
    }

    /** A reader's report: split id to namespace. */
    void splitsFinished(Map<String, String> namespacesBySplitId) {
        for (Map.Entry<String, String> e : namespacesBySplitId.entrySet()) {
            splitFinished(e.getKey(), e.getValue());
        }
    }

    /** A reader's report of the splits it holds, sent when it (re)starts. */
    void splitsHeld(int subtaskId, List<String> held) {
        reopenHeldSplits(held);
        settleRestore(subtaskId, held);
    }

    /**
     * A reader restarted without the enumerator (a failover of tasks only) holds, from its
     * checkpoint, splits it finished after that checkpoint: they are being read again, so they are
     * not finished.
     */
    private void reopenHeldSplits(List<String> held) {
        for (String splitId : held) {
            if (!finishedSplitIds.remove(splitId)) {
                continue;
            }
            String namespace = namespaceOfSplit(splitId);
            CollectionProgress progress = collections.get(namespace);
            if (progress == null) {
                continue;
            }
            assigned.put(splitId, namespace);
            collections.update(progress.withSplitReopened());
            reportedFinished.remove(namespace);
            LOG.info("Split {} is being read again by a restarted reader", splitId);
        }
    }

    /**
     * The namespace of a split id made by {@link SnapshotSplit#splitId}: {@code <db>.<coll>_<n>}.
     */
    private static String namespaceOfSplit(String splitId) {
        return splitId.substring(0, splitId.lastIndexOf('_'));
    }

    private void settleRestore(int subtaskId, List<String> held) {
        Map<String, String> finished = restore.held(subtaskId, held);
        if (finished.isEmpty()) {
            return;
        }
        LOG.info(
                "Splits {} were finished just before the checkpoint this job was restored from",
                finished.keySet());
        for (Map.Entry<String, String> e : finished.entrySet()) {
            splitFinished(e.getKey(), e.getValue());
        }
    }

    private void splitFinished(String splitId, String namespace) {
        if (assigned.remove(splitId) == null) {
            // Not held by a reader: a late report from an attempt that failed, whose split was
            // taken back.
            LOG.debug("Ignoring the finish of split {}, which no reader holds", splitId);
            return;
        }
        restore.forget(splitId);
        CollectionProgress progress = collections.get(namespace);
        if (progress == null || !finishedSplitIds.add(splitId)) {
            return;
        }
        progress = collections.update(progress.withSplitFinished());
        if (progress.finished()) {
            LOG.info("Snapshot of {} finished: {} splits", namespace, progress.splitsTotal());
            reportIfFinished(namespace);
        }
    }

    private void reportIfFinished(String namespace) {
        CollectionProgress progress = collections.get(namespace);
        if (progress == null || !progress.finished() || !reportedFinished.add(namespace)) {
            return;
        }
        collectionFinished.accept(namespace);
    }

    /** A copy of the breakpoint. */
    SnapshotEnumState snapshotState(long checkpointId) {
        return new SnapshotEnumState(
                collections.isResolved(),
                collections.all(),
                pending,
                assigned,
                finishedSplitIds,
                PartitionSettings.of(options),
                migrationId);
    }
}
