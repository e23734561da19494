package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.annotation.Internal;

import java.util.Objects;

import io.mongoresume.connectors.snapshot.enumerator.partition.CountScanPosition;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/** The enumerator's record of one collection. Immutable; changes make copies. */
@Internal
public final class CollectionProgress {

    private final String collection;
    private final CollectionPhase phase;

    /** Whether {@code CollectionPreparer.prepare} ran; never run again once true. */
    private final boolean prepared;

    private final CountScanPosition scanPosition;

    /** Splits produced so far; the next split is number {@code splitsTotal}. */
    private final int splitsTotal;

    private final int splitsFinished;

    public CollectionProgress(
            String collection,
            CollectionPhase phase,
            boolean prepared,
            CountScanPosition scanPosition,
            int splitsTotal,
            int splitsFinished) {
        checkArgument(splitsTotal >= 0 && splitsFinished >= 0, "negative split counts");
        this.collection = checkNotNull(collection);
        this.phase = checkNotNull(phase);
        this.prepared = prepared;
        this.scanPosition = checkNotNull(scanPosition);
        this.splitsTotal = splitsTotal;
        this.splitsFinished = splitsFinished;
    }

    public static CollectionProgress notStarted(String collection) {
        return new CollectionProgress(
                collection, CollectionPhase.NOT_STARTED, false, CountScanPosition.START, 0, 0);
    }

    CollectionProgress asPrepared() {
        return new CollectionProgress(
                collection, phase, true, scanPosition, splitsTotal, splitsFinished);
    }

    CollectionProgress withSplitsAdded(int count, CountScanPosition position, boolean done) {
        return new CollectionProgress(
                collection,
                done ? CollectionPhase.DONE : CollectionPhase.PARTITIONING,
                prepared,
                done ? CountScanPosition.START : position,
                splitsTotal + count,
                splitsFinished);
    }

    CollectionProgress withSplitFinished() {
        return new CollectionProgress(
                collection, phase, prepared, scanPosition, splitsTotal, splitsFinished + 1);
    }

    /** A split reported finished is to be read again (its rows were not covered by a checkpoint). */
    CollectionProgress withSplitReopened() {
        return new CollectionProgress(
                collection, phase, prepared, scanPosition, splitsTotal, Math.max(0, splitsFinished - 1));
    }

    public String collection() {
        return collection;
    }

    public CollectionPhase phase() {
        return phase;
    }

    public boolean prepared() {
        return prepared;
    }

    public CountScanPosition scanPosition() {
        return scanPosition;
    }

    public int splitsTotal() {
        return splitsTotal;
    }

    public int splitsFinished() {
        return splitsFinished;
    }

    /** Partitioned and every split read. */
    public boolean finished() {
        return phase == CollectionPhase.DONE && splitsFinished >= splitsTotal;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CollectionProgress)) {
            return false;
        }
        CollectionProgress that = (CollectionProgress) o;
        return prepared == that.prepared
                && splitsTotal == that.splitsTotal
                && splitsFinished == that.splitsFinished
                && collection.equals(that.collection)
                && phase == that.phase
                && scanPosition.equals(that.scanPosition);
    }

    @Override
    public int hashCode() {
        return Objects.hash(collection, phase, prepared, scanPosition, splitsTotal, splitsFinished);
    }

    @Override
    public String toString() {
        return collection
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
