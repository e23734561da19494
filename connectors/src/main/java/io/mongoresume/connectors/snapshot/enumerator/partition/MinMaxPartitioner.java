package io.mongoresume.connectors.snapshot.enumerator.partition;

import org.apache.flink.annotation.Internal;

import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.List;

import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;

/**
 * MIN_MAX strategy: per bracket present, the smallest and largest {@code _id} (two sorted limit-1
 * queries with the bracket's {@code $type} filter); numbers, ObjectIds, strings and dates are cut
 * into up to partition-count splits by interpolated boundaries, other brackets are one split. The
 * outermost splits of a bracket are open-ended, so ids inserted outside {@code [min, max]} later
 * are still covered.
 */
@Internal
public final class MinMaxPartitioner implements Partitioner {

    public static final MinMaxPartitioner INSTANCE = new MinMaxPartitioner();

    private MinMaxPartitioner() {}

    @Override
    public List<SnapshotSplit> partition(PartitionContext context, PartitionOutput output)
            throws Exception {
        IdSource ids = context.ids();
        List<SnapshotSplit> splits = new ArrayList<>();
        int number = context.firstSplitNumber();
        for (TypeBracket bracket : TypeBracket.values()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("Partitioning interrupted");
            }
            if (ids.typeAliases().aliases(bracket).isEmpty()) {
                continue;
            }
            BsonValue min = ids.minId(bracket);
            if (min == null) {
                continue;
            }
            List<BsonValue> boundaries = new ArrayList<>();
            if (IdInterpolation.interpolates(bracket)) {
                BsonValue max = ids.maxId(bracket);
                if (max != null) {
                    boundaries = IdInterpolation.boundaries(min, max, context.partitionCount());
                }
            }
            BsonValue lower = null;
            for (BsonValue boundary : boundaries) {
                splits.add(
                        SnapshotSplit.unread(
                                context.database(),
                                context.collection(),
                                number++,
                                bracket,
                                lower,
                                boundary));
                lower = boundary;
            }
            SnapshotSplit last =
                    SnapshotSplit.unread(
                            context.database(),
                            context.collection(),
                            number++,
                            bracket,
                            lower,
                            null);
            boolean clientFiltered =
                    bracket == TypeBracket.BINARY && !ids.rangeFilterConsistent(bracket, min);
            splits.add(clientFiltered ? last.asClientFiltered() : last);
        }
        return splits;
    }
}
