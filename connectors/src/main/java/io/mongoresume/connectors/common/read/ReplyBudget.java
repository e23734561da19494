package io.mongoresume.connectors.common.read;

import org.apache.flink.annotation.Internal;

import static org.apache.flink.util.Preconditions.checkArgument;

/**
 * How many documents one cursor batch may ask for. A real {@code mongod} caps a batch at 16 MiB,
 * but other servers (the embedded test server among them) put the whole batch in one reply, and the
 * driver refuses replies above {@code maxMessageSizeBytes} (48 MB). Batches are therefore sized
 * from the collection's average document size to about {@link #BYTES}, well below both limits, so
 * that documents larger than the average still fit; {@link RefusedReply} covers the rest.
 */
@Internal
public final class ReplyBudget {

    /** The bytes one batch is aimed at. */
    public static final int BYTES = 8 << 20;

    private ReplyBudget() {}

    /**
     * Documents per batch for documents of {@code averageBytes} (unknown when not positive): as
     * many as fit {@link #BYTES}, at least 1 and at most {@code maxBatch}.
     */
    public static int batchSize(long averageBytes, int maxBatch) {
        return documentsWithin(BYTES, averageBytes, maxBatch);
    }

    /**
     * Documents of {@code averageBytes} that fit {@code budgetBytes}, at least 1 and at most {@code
     * maxDocuments}; {@code maxDocuments} when the average is unknown (not positive).
     */
    public static int documentsWithin(long budgetBytes, long averageBytes, int maxDocuments) {
        checkArgument(maxDocuments >= 1, "maxDocuments must be at least 1, was %s", maxDocuments);
        if (averageBytes <= 0) {
            return maxDocuments;
        }
        return (int) Math.max(1, Math.min(maxDocuments, budgetBytes / averageBytes));
    }
}
