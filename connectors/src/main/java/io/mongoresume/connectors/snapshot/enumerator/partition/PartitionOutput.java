package io.mongoresume.connectors.snapshot.enumerator.partition;

import org.apache.flink.annotation.Internal;

import io.mongoresume.connectors.snapshot.split.SnapshotSplit;

import java.util.List;

/**
 * Receives splits while a partitioner runs, so readers can start before the whole collection is
 * cut.
 */
@Internal
public interface PartitionOutput {

    /** New splits and the scan position after them; the two are recorded together. */
    void emit(List<SnapshotSplit> splits, CountScanPosition position);
}
