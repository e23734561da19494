package io.mongoresume.connectors.snapshot.enumerator.partition;

import org.apache.flink.util.CloseableIterator;

import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.snapshot.query.IdComparator;
import io.mongoresume.connectors.snapshot.query.TypeAliasSupport;
import org.bson.BsonValue;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * An {@link IdSource} over a list of ids in the "server's" scan order; counts the scans it serves.
 */
public final class FakeIdSource implements IdSource {

    private final List<BsonValue> scanOrder;
    private final boolean rangeFilterConsistent;
    final List<CountScanPosition> scans = new ArrayList<>();
    int edgeQueries;

    /** After this many edge queries the "collection" is empty: a delete racing the partitioner. */
    int emptyAfterEdgeQueries = Integer.MAX_VALUE;

    FakeIdSource(List<BsonValue> scanOrder) {
        this(scanOrder, true);
    }

    FakeIdSource(List<BsonValue> scanOrder, boolean rangeFilterConsistent) {
        this.scanOrder = scanOrder;
        this.rangeFilterConsistent = rangeFilterConsistent;
    }

    @Override
    public CloseableIterator<BsonValue> scanIds(CountScanPosition from) {
        scans.add(from);
        return idsFrom(scanOrder, from);
    }

    /**
     * What a scan from {@code from} reads of {@code ids}: in their order, those at or above the
     * position's lower bound of their bracket.
     */
    public static CloseableIterator<BsonValue> idsFrom(
            List<BsonValue> ids, CountScanPosition from) {
        Map<TypeBracket, BsonValue> lowers = from.nextLowers();
        List<BsonValue> result = new ArrayList<>();
        for (BsonValue id : ids) {
            BsonValue lower = lowers.get(TypeBracket.of(id.getBsonType()));
            if (lower == null || IdComparator.INSTANCE.compare(id, lower) >= 0) {
                result.add(id);
            }
        }
        return CloseableIterator.adapterForIterator(result.iterator());
    }

    @Nullable
    @Override
    public BsonValue minId(TypeBracket bracket) {
        return firstIn(bracket, IdComparator.INSTANCE);
    }

    @Nullable
    @Override
    public BsonValue maxId(TypeBracket bracket) {
        return firstIn(bracket, IdComparator.INSTANCE.reversed());
    }

    /** An edge query: the first id of {@code bracket} (any with null) in {@code order}. */
    @Nullable
    private BsonValue firstIn(@Nullable TypeBracket bracket, Comparator<BsonValue> order) {
        if (++edgeQueries > emptyAfterEdgeQueries) {
            return null;
        }
        return scanOrder.stream()
                .filter(id -> bracket == null || TypeBracket.of(id.getBsonType()) == bracket)
                .min(order)
                .orElse(null);
    }

    @Override
    public boolean rangeFilterConsistent(TypeBracket bracket, BsonValue min) {
        return rangeFilterConsistent;
    }

    @Override
    public TypeAliasSupport typeAliases() {
        return new TypeAliasSupport();
    }
}
