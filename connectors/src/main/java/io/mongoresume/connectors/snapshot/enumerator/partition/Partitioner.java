package io.mongoresume.connectors.snapshot.enumerator.partition;

import org.apache.flink.annotation.Internal;

import io.mongoresume.connectors.snapshot.split.SnapshotSplit;

import java.util.List;

/**
 * Cuts one collection into splits such that every {@code _id} lies in exactly one split. Runs on
 * the enumerator's worker thread; may hand out splits early through the output.
 */
@Internal
public interface Partitioner {

    /**
     * @return the remaining splits, after which the collection is fully partitioned
     * @throws InterruptedException when the thread is interrupted (enumerator closing)
     */
    List<SnapshotSplit> partition(PartitionContext context, PartitionOutput output)
            throws Exception;
}
