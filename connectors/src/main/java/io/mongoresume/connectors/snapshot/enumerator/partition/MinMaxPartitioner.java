package io.mongoresume.connectors.snapshot.enumerator.partition;

import org.apache.flink.annotation.Internal;

import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;
import org.bson.BsonValue;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * MIN_MAX strategy: per bracket present, the smallest and largest {@code _id} (two sorted limit-1
 * queries with the bracket's {@code $type} filter; when the collection's overall smallest and
 * largest {@code _id} share a bracket, that bracket is the only one and they are its edges, see
 * {@link #candidateBrackets}); numbers, ObjectIds, strings and dates are cut into up to
 * partition-count splits by interpolated boundaries, other brackets are one split. The outermost
 * splits of a bracket are open-ended, so ids inserted outside {@code [min, max]} later are still
 * covered.
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
        BsonValue smallest = ids.minId(null);
        BsonValue largest = smallest == null ? null : ids.maxId(null);
        // The collection may be emptied between the two probes (largest null): then there is
        // nothing to cut,
        // and what is written from then on is the change stream's.
        boolean oneBracket =
                smallest != null && largest != null && bracketOf(smallest) == bracketOf(largest);
        for (TypeBracket bracket : candidateBrackets(smallest, largest)) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("Partitioning interrupted");
            }
            if (ids.typeAliases().aliases(bracket).isEmpty()) {
                continue;
            }
            BsonValue min = oneBracket ? smallest : ids.minId(bracket);
            if (min == null) {
                continue;
            }
            List<BsonValue> boundaries = new ArrayList<>();
            if (IdInterpolation.interpolates(bracket)) {
                BsonValue max = oneBracket ? largest : ids.maxId(bracket);
                if (max != null) {
                    boundaries = IdInterpolation.boundaries(min, max, context.partitionCount());
                }
            }
            BsonValue lower = null;
            for (BsonValue boundary : boundaries) {
                splits.add(unread(context, number++, bracket, lower, boundary));
                lower = boundary;
            }
            SnapshotSplit last = unread(context, number++, bracket, lower, null);
            boolean clientFiltered =
                    bracket == TypeBracket.BINARY && !ids.rangeFilterConsistent(bracket, min);
            splits.add(clientFiltered ? last.asClientFiltered() : last);
        }
        return splits;
    }

    private static SnapshotSplit unread(
            PartitionContext context,
            int number,
            TypeBracket bracket,
            @Nullable BsonValue lower,
            @Nullable BsonValue upper) {
        return SnapshotSplit.unread(
                context.database(), context.collection(), number, bracket, lower, upper);
    }

    /**
     * The brackets that can hold ids: none in an empty collection; only the bracket of the overall
     * smallest and largest {@code _id} when they share one, because servers sort by type first, so
     * an id of another bracket could not sort between them; otherwise all. Skipping the absent
     * brackets' probes matters where each probe scans the whole collection (no range use of the
     * {@code _id} index).
     */
    static List<TypeBracket> candidateBrackets(
            @Nullable BsonValue first, @Nullable BsonValue last) {
        if (first == null || last == null) {
            return List.of();
        }
        TypeBracket lowest = bracketOf(first);
        return lowest == bracketOf(last) ? List.of(lowest) : List.of(TypeBracket.values());
    }

    private static TypeBracket bracketOf(BsonValue id) {
        return TypeBracket.of(id.getBsonType());
    }
}
