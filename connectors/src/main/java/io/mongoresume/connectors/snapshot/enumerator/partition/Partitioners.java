package io.mongoresume.connectors.snapshot.enumerator.partition;

import org.apache.flink.annotation.Internal;

/** Dispatches a {@link PartitionStrategy} to its partitioner. */
@Internal
public final class Partitioners {

    private Partitioners() {}

    public static Partitioner of(PartitionStrategy strategy) {
        switch (strategy) {
            case COUNT:
                return CountPartitioner.INSTANCE;
            case MIN_MAX:
                return MinMaxPartitioner.INSTANCE;
            default:
                throw new IllegalArgumentException("Unknown partition strategy " + strategy);
        }
    }
}
