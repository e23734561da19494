package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.api.connector.source.SplitEnumeratorContext;

import io.mongoresume.connectors.common.UnrecoverableException;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.snapshot.SnapshotSourceOptions;
import io.mongoresume.connectors.snapshot.enumerator.partition.CountScanPosition;
import io.mongoresume.connectors.snapshot.enumerator.partition.PartitionContext;
import io.mongoresume.connectors.snapshot.enumerator.partition.Partitioners;
import io.mongoresume.connectors.snapshot.query.CollectionReadPlan;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Cuts one collection into splits with the configured partitioner, on the worker thread, so that
 * computing the boundaries of a large collection never holds up a checkpoint. Each batch of splits
 * goes to the coordinator thread together with the scan position after it: a checkpoint holds both,
 * and a restore continues the scan where it stood. Every split carries the collection's read plan,
 * asked once here. {@link #checkResume} decides what a resume with other partition options may
 * continue.
 */
final class CollectionPartitioning {

    private static final Logger LOG = LoggerFactory.getLogger(CollectionPartitioning.class);

    /** Takes the splits on the coordinator thread, in the order they were cut. */
    @FunctionalInterface
    interface SplitSink {
        void add(
                String namespace, List<SnapshotSplit> splits, CountScanPosition next, boolean done);
    }

    private final SplitEnumeratorContext<SnapshotSplit> context;
    private final SnapshotSourceOptions options;
    private final CollectionTable collections;
    private final BooleanSupplier closed;

    CollectionPartitioning(
            SplitEnumeratorContext<SnapshotSplit> context,
            SnapshotSourceOptions options,
            CollectionTable collections,
            BooleanSupplier closed) {
        this.context = checkNotNull(context);
        this.options = checkNotNull(options);
        this.collections = checkNotNull(collections);
        this.closed = checkNotNull(closed);
    }

    /** Runs on the worker thread; reports every result through the coordinator thread. */
    Void partition(SourceCatalog cat, CollectionProgress start, SplitSink sink) throws Exception {
        String name = start.namespace();
        long estimated = cat.estimatedDocumentCount(name);
        context.runInCoordinatorThread(() -> collections.estimatedDocuments(name, estimated));
        CollectionReadPlan plan = cat.readPlan(name);
        LOG.info(
                "Snapshot of {}: {}",
                name,
                plan.describe(
                        options.splitQueryMode(), options.batchReadLimit(), options.fetchSize()));
        PartitionContext partitionContext =
                new PartitionContext(
                        CollectionSelection.databaseOf(name),
                        CollectionSelection.collectionOf(name),
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
                                    if (closed.getAsBoolean()) {
                                        throw new CancellationException(
                                                "Snapshot enumerator closed");
                                    }
                                    List<SnapshotSplit> planned = withPlan(plan, splits);
                                    context.runInCoordinatorThread(
                                            () -> sink.add(name, planned, position, false));
                                });
        long tookMillis = System.currentTimeMillis() - started;
        context.runInCoordinatorThread(
                () -> {
                    sink.add(name, withPlan(plan, last), CountScanPosition.START, true);
                    LOG.info(
                            "Partitioned {} ({}) in {} ms: {} splits, ~{} documents",
                            name,
                            options.partitionStrategy(),
                            tookMillis,
                            collections.get(name).splitsTotal(),
                            estimated);
                });
        return null;
    }

    /** The splits carrying the collection's read plan, so readers need not ask the server again. */
    private static List<SnapshotSplit> withPlan(
            CollectionReadPlan plan, List<SnapshotSplit> splits) {
        List<SnapshotSplit> planned = new ArrayList<>(splits.size());
        for (SnapshotSplit split : splits) {
            planned.add(split.withReadPlan(plan));
        }
        return planned;
    }

    /**
     * A resume with other partition options: collections already partitioned keep their splits, the
     * others are cut with the new options; a strategy change in the middle of a collection's
     * partitioning cannot be honoured and is refused.
     */
    static void checkResume(
            @Nullable PartitionSettings then,
            SnapshotSourceOptions options,
            Collection<CollectionProgress> collections) {
        PartitionSettings now = PartitionSettings.of(options);
        if (then == null || then.cutsLike(now)) {
            return;
        }
        List<String> partitioned = new ArrayList<>();
        List<String> midway = new ArrayList<>();
        List<String> notStarted = new ArrayList<>();
        for (CollectionProgress c : collections) {
            (c.phase() == CollectionPhase.DONE
                            ? partitioned
                            : c.phase() == CollectionPhase.PARTITIONING ? midway : notStarted)
                    .add(c.namespace());
        }
        if (!midway.isEmpty() && then.strategy() != now.strategy()) {
            throw new UnrecoverableException(
                    "Refusing to resume: the checkpoint or savepoint was partitioning "
                            + midway
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
}
