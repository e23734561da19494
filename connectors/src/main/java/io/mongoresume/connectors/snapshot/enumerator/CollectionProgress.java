package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.annotation.Internal;

import io.mongoresume.connectors.snapshot.enumerator.partition.CountScanPosition;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The enumerator's record of one collection. Immutable; changes make copies.
 *
 * @param namespace the collection, {@code database.collection}
 * @param prepared whether {@code CollectionPreparer.prepare} ran; never run again once true
 * @param splitsTotal splits produced so far; the next split is number {@code splitsTotal}
 */
@Internal
public record CollectionProgress(
        String namespace,
        CollectionPhase phase,
        boolean prepared,
        CountScanPosition scanPosition,
        int splitsTotal,
        int splitsFinished) {

    public CollectionProgress {
        checkArgument(splitsTotal >= 0 && splitsFinished >= 0, "negative split counts");
        checkNotNull(namespace);
        checkNotNull(phase);
        checkNotNull(scanPosition);
    }

    public static CollectionProgress notStarted(String namespace) {
        return new CollectionProgress(
                namespace, CollectionPhase.NOT_STARTED, false, CountScanPosition.START, 0, 0);
    }

    CollectionProgress asPrepared() {
        return new CollectionProgress(
                namespace, phase, true, scanPosition, splitsTotal, splitsFinished);
    }

    CollectionProgress withSplitsAdded(int count, CountScanPosition position, boolean done) {
        return new CollectionProgress(
                namespace,
                done ? CollectionPhase.DONE : CollectionPhase.PARTITIONING,
                prepared,
                done ? CountScanPosition.START : position,
                splitsTotal + count,
                splitsFinished);
    }

    CollectionProgress withSplitFinished() {
        return new CollectionProgress(
                namespace, phase, prepared, scanPosition, splitsTotal, splitsFinished + 1);
    }

    /**
     * A split reported finished is to be read again (its rows were not covered by a checkpoint).
     */
    CollectionProgress withSplitReopened() {
        return new CollectionProgress(
                namespace,
                phase,
                prepared,
                scanPosition,
                splitsTotal,
                Math.max(0, splitsFinished - 1));
    }

    /** Partitioned and every split read. */
    public boolean finished() {
        return phase == CollectionPhase.DONE && splitsFinished >= splitsTotal;
    }

    @Override
    public String toString() {
        return namespace
                + "{"
                + phase
                + (prepared ? ", prepared" : "")
                + ", splits "
                + splitsFinished
                + "/"
                + splitsTotal
                + (scanPosition.nextLowers().isEmpty() ? "" : ", " + scanPosition)
                + '}';
    }
}
