package io.mongoresume.connectors.snapshot.enumerator.partition;

import org.apache.flink.annotation.Internal;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/** The inputs of one collection's partitioning. */
@Internal
public final class PartitionContext {

    private final String database;
    private final String collection;
    private final long partitionSize;
    private final int partitionCount;
    private final int firstSplitNumber;
    private final CountScanPosition resumeFrom;
    private final IdSource ids;

    public PartitionContext(
            String database,
            String collection,
            long partitionSize,
            int partitionCount,
            int firstSplitNumber,
            CountScanPosition resumeFrom,
            IdSource ids) {
        checkArgument(partitionSize > 0, "partitionSize must be positive");
        checkArgument(partitionCount > 0, "partitionCount must be positive");
        checkArgument(firstSplitNumber >= 0, "firstSplitNumber must not be negative");
        this.database = checkNotNull(database);
        this.collection = checkNotNull(collection);
        this.partitionSize = partitionSize;
        this.partitionCount = partitionCount;
        this.firstSplitNumber = firstSplitNumber;
        this.resumeFrom = checkNotNull(resumeFrom);
        this.ids = checkNotNull(ids);
    }

    public String database() {
        return database;
    }

    public String collection() {
        return collection;
    }

    /** COUNT: documents per split. */
    public long partitionSize() {
        return partitionSize;
    }

    /** MIN_MAX: splits per interpolated bracket. */
    public int partitionCount() {
        return partitionCount;
    }

    /** The number of the first split this run produces ({@code "<db>.<coll>_<n>"}). */
    public int firstSplitNumber() {
        return firstSplitNumber;
    }

    /** Where an interrupted COUNT scan got to; {@link CountScanPosition#START} on a fresh start. */
    public CountScanPosition resumeFrom() {
        return resumeFrom;
    }

    public IdSource ids() {
        return ids;
    }
}
