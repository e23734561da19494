package io.mongoresume.connectors.snapshot.enumerator.partition;

import org.apache.flink.annotation.Internal;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The inputs of one collection's partitioning.
 *
 * @param partitionSize COUNT: documents per split
 * @param partitionCount MIN_MAX: splits per interpolated bracket
 * @param firstSplitNumber the number of the first split this run produces ({@code
 *     "<db>.<coll>_<n>"})
 * @param resumeFrom where an interrupted COUNT scan got to; {@link CountScanPosition#START} on a
 *     fresh start
 */
@Internal
public record PartitionContext(
        String database,
        String collection,
        long partitionSize,
        int partitionCount,
        int firstSplitNumber,
        CountScanPosition resumeFrom,
        IdSource ids) {

    public PartitionContext {
        checkArgument(partitionSize > 0, "partitionSize must be positive");
        checkArgument(partitionCount > 0, "partitionCount must be positive");
        checkArgument(firstSplitNumber >= 0, "firstSplitNumber must not be negative");
        checkNotNull(database);
        checkNotNull(collection);
        checkNotNull(resumeFrom);
        checkNotNull(ids);
    }
}
