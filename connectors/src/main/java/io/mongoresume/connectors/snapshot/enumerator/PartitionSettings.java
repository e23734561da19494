package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.annotation.Internal;

import io.mongoresume.connectors.snapshot.SnapshotSourceOptions;
import io.mongoresume.connectors.snapshot.enumerator.partition.PartitionStrategy;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The options the snapshot's splits are cut with, kept in the enumerator's state so that a resume
 * with other values is noticed: collections already partitioned keep their splits, collections not
 * partitioned yet take the new values, and a strategy change in the middle of a collection's
 * partitioning is refused.
 */
@Internal
public record PartitionSettings(PartitionStrategy strategy, long size, int count) {

    public PartitionSettings {
        checkNotNull(strategy);
    }

    static PartitionSettings of(SnapshotSourceOptions options) {
        return new PartitionSettings(
                options.partitionStrategy(), options.partitionSize(), options.partitionCount());
    }

    /**
     * Whether splits cut with either would be the same (the count of COUNT and the size of MIN_MAX
     * play no part).
     */
    boolean cutsLike(PartitionSettings other) {
        return strategy == other.strategy
                && (strategy == PartitionStrategy.COUNT
                        ? size == other.size
                        : count == other.count);
    }

    @Override
    public String toString() {
        return "snapshot.partition.strategy="
                + strategy
                + (strategy == PartitionStrategy.COUNT
                        ? ", snapshot.partition.size=" + size
                        : ", snapshot.partition.count=" + count);
    }
}
