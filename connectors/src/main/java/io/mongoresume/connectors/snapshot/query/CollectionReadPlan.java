package io.mongoresume.connectors.snapshot.query;

import org.apache.flink.annotation.Internal;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Sorts;
import io.mongoresume.connectors.common.read.DocumentSize;
import io.mongoresume.connectors.common.read.ReplyBudget;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;

import javax.annotation.Nullable;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * What the snapshot source found out about one collection before reading it: the server's plan for
 * an {@code _id} range query ({@link RangeScanPlan}) and the average document size ({@link
 * DocumentSize}). Both are facts about the collection, asked once when it is partitioned and
 * carried in every split, so readers do not ask again per split. Readers combine them with the
 * options they run with: the split query mode decides the query limit, the fetch size caps the
 * cursor batch. Immutable.
 */
@Internal
public record CollectionReadPlan(RangeScanPlan rangeScan, DocumentSize documentSize) {

    public CollectionReadPlan {
        checkNotNull(rangeScan);
        checkNotNull(documentSize);
    }

    /** Nothing known: ranges read in one query (auto), batches of the fetch size. */
    public static CollectionReadPlan unknown(String why) {
        return new CollectionReadPlan(RangeScanPlan.UNKNOWN, DocumentSize.unknown(why));
    }

    /**
     * Asks the server: the collection's average document size, and {@code explain} of {@code
     * rangeFilter}, an {@code _id} range shaped like a split's (null for an empty collection, which
     * any plan reads alike). Never throws for a command the server refuses.
     */
    public static CollectionReadPlan probe(
            MongoDatabase database, String collection, @Nullable BsonDocument rangeFilter) {
        DocumentSize size = DocumentSize.measure(database, collection);
        if (rangeFilter == null) {
            return new CollectionReadPlan(RangeScanPlan.UNKNOWN, size);
        }
        RangeScanPlan rangeScan =
                RangeScanPlan.probe(
                        database.getCollection(collection, RawBsonDocument.class),
                        rangeFilter,
                        Sorts.ascending("_id"));
        return new CollectionReadPlan(rangeScan, size);
    }

    /** The limit of each range query (0: none, a split is read by one query). */
    public int queryLimit(SplitQueryMode mode, int batchReadLimit) {
        switch (mode) {
            case BATCHED:
                return batchReadLimit;
            case SINGLE:
                return 0;
            default:
                return rangeScan == RangeScanPlan.INDEX_SCAN ? batchReadLimit : 0;
        }
    }

    /** Documents per cursor batch: about {@link ReplyBudget#BYTES}, at most {@code fetchSize}. */
    public int cursorBatchSize(int fetchSize) {
        return documentSize.batchSize(fetchSize);
    }

    /** The decision in words, for the log line that states it once per collection. */
    public String describe(SplitQueryMode mode, int batchReadLimit, int fetchSize) {
        String queries;
        if (mode == SplitQueryMode.BATCHED) {
            queries =
                    "reading in queries of at most "
                            + batchReadLimit
                            + " documents (snapshot.split-query=batched)";
        } else if (mode == SplitQueryMode.SINGLE) {
            queries = "reading each split with one query (snapshot.split-query=single)";
        } else if (rangeScan == RangeScanPlan.INDEX_SCAN) {
            queries =
                    "_id ranges are index scans; reading in queries of at most "
                            + batchReadLimit
                            + " documents (snapshot.batch-read-limit)";
        } else {
            queries =
                    "the server "
                            + (rangeScan == RangeScanPlan.COLLECTION_SCAN
                                    ? "scans the whole collection"
                                    : "did not explain its plan")
                            + " for an _id range; reading each split with one query, as batches would"
                            + " cost a collection scan each (snapshot.split-query=batched forces"
                            + " batches)";
        }
        return queries
                + "; cursor batches of "
                + cursorBatchSize(fetchSize)
                + " documents (average document "
                + documentSize
                + ", about "
                + (ReplyBudget.BYTES >> 20)
                + " MiB per reply, at most snapshot.fetch-size="
                + fetchSize
                + ")";
    }

    @Override
    public String toString() {
        return "CollectionReadPlan{" + rangeScan + ", average document " + documentSize + '}';
    }
}
