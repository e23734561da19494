package io.mongoresume.connectors.snapshot.enumerator.partition;

import org.apache.flink.annotation.Internal;
import org.apache.flink.util.CloseableIterator;

import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.snapshot.query.IdComparator;
import io.mongoresume.connectors.snapshot.query.TypeAliasSupport;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * COUNT strategy: one ordered, {@code _id}-only scan; within each type bracket every N-th {@code
 * _id} starts a new split. Counters are kept per bracket, so the result stays right even on a
 * server that interleaves brackets in its sort. A split is emitted as soon as its upper boundary is
 * seen; the last split of each bracket (upper bound open) when the scan ends. After a restore the
 * scan continues from the position recorded with the last emitted split: {@code $gte} the next
 * lower bound in brackets already cut, and from the start in all other brackets, in one {@code $or}
 * query.
 */
@Internal
public final class CountPartitioner implements Partitioner {

    public static final CountPartitioner INSTANCE = new CountPartitioner();

    private static final Logger LOG = LoggerFactory.getLogger(CountPartitioner.class);

    /**
     * Brackets cut into several splits. The others (null, minKey, maxKey, bool: a handful of ids at
     * most; embedded documents, whose order differs between servers; JavaScript and friends) stay
     * one split.
     */
    static final Set<TypeBracket> SPLITTABLE =
            Collections.unmodifiableSet(
                    EnumSet.of(
                            TypeBracket.NUMBER,
                            TypeBracket.STRING,
                            TypeBracket.BINARY,
                            TypeBracket.OBJECT_ID,
                            TypeBracket.DATE,
                            TypeBracket.TIMESTAMP));

    private CountPartitioner() {}

    @Override
    public List<SnapshotSplit> partition(PartitionContext context, PartitionOutput output)
            throws Exception {
        IdSource ids = context.ids();
        Map<TypeBracket, BracketCursor> brackets = new EnumMap<>(TypeBracket.class);
        for (Map.Entry<TypeBracket, BsonValue> e : context.resumeFrom().nextLowers().entrySet()) {
            brackets.put(e.getKey(), new BracketCursor(e.getValue(), true, false));
        }
        int nextNumber = context.firstSplitNumber();
        long size = context.partitionSize();
        try (CloseableIterator<BsonValue> scan = ids.scanIds(context.resumeFrom())) {
            while (scan.hasNext()) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("Partitioning interrupted");
                }
                BsonValue id = scan.next();
                TypeBracket bracket = TypeBracket.of(id.getBsonType());
                BracketCursor cursor = brackets.get(bracket);
                if (cursor == null) {
                    boolean rangeFilterable =
                            bracket != TypeBracket.BINARY || ids.rangeFilterConsistent(bracket, id);
                    cursor =
                            new BracketCursor(
                                    null,
                                    rangeFilterable && SPLITTABLE.contains(bracket),
                                    !rangeFilterable);
                    brackets.put(bracket, cursor);
                }
                if (cursor.count >= size && cursor.cuttable && isAbove(id, cursor.lower)) {
                    SnapshotSplit split =
                            SnapshotSplit.unread(
                                    context.database(),
                                    context.collection(),
                                    nextNumber++,
                                    bracket,
                                    cursor.lower,
                                    id);
                    cursor.lower = id;
                    cursor.count = 0;
                    output.emit(Collections.singletonList(split), position(brackets));
                }
                cursor.count++;
            }
        }
        List<SnapshotSplit> last = new ArrayList<>();
        for (Map.Entry<TypeBracket, BracketCursor> e : brackets.entrySet()) {
            SnapshotSplit split =
                    SnapshotSplit.unread(
                            context.database(),
                            context.collection(),
                            nextNumber++,
                            e.getKey(),
                            e.getValue().lower,
                            null);
            last.add(e.getValue().clientFiltered ? split.asClientFiltered() : split);
        }
        return last;
    }

    private static boolean isAbove(BsonValue id, @Nullable BsonValue lower) {
        if (lower == null || IdComparator.INSTANCE.compare(id, lower) > 0) {
            return true;
        }
        LOG.warn("The server's _id sort is not increasing at {}; not cutting a split there", id);
        return false;
    }

    private static CountScanPosition position(Map<TypeBracket, BracketCursor> brackets) {
        Map<TypeBracket, BsonValue> lowers = new EnumMap<>(TypeBracket.class);
        for (Map.Entry<TypeBracket, BracketCursor> e : brackets.entrySet()) {
            if (e.getValue().lower != null) {
                lowers.put(e.getKey(), e.getValue().lower);
            }
        }
        return new CountScanPosition(lowers);
    }

    /**
     * The scan filter: null for a fresh scan; otherwise the rest of each cut bracket plus all other
     * brackets.
     */
    @Nullable
    public static BsonDocument resumeFilter(CountScanPosition position, TypeAliasSupport aliases) {
        if (position.nextLowers().isEmpty()) {
            return null;
        }
        BsonArray branches = new BsonArray();
        BsonArray otherAliases = new BsonArray();
        for (TypeBracket bracket : TypeBracket.values()) {
            BsonValue lower = position.nextLowers().get(bracket);
            if (lower != null) {
                branches.add(aliases.idFilter(bracket, lower, null, null));
            } else {
                for (String alias : aliases.aliases(bracket)) {
                    otherAliases.add(new BsonString(alias));
                }
            }
        }
        if (!otherAliases.isEmpty()) {
            branches.add(new BsonDocument("_id", new BsonDocument("$type", otherAliases)));
        }
        return branches.size() == 1
                ? branches.get(0).asDocument()
                : new BsonDocument("$or", branches);
    }

    /** The scan state of one bracket. */
    private static final class BracketCursor {
        @Nullable BsonValue lower;

        /** Ids seen since {@link #lower} (or since the bracket's start). */
        long count;

        /** Whether this bracket is cut at all; a restored bracket was cut before. */
        final boolean cuttable;

        /** The server cannot range-filter this bracket: one client-filtered split. */
        final boolean clientFiltered;

        BracketCursor(@Nullable BsonValue lower, boolean cuttable, boolean clientFiltered) {
            this.lower = lower;
            this.cuttable = cuttable;
            this.clientFiltered = clientFiltered;
        }
    }
}
