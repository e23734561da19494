package io.mongoresume.connectors.common.read;

import org.apache.flink.annotation.Internal;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCursor;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

import javax.annotation.Nullable;

import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Iterates a query sorted by ascending {@code _id} in batches of a given size, and survives a reply
 * the driver refuses for its length ({@link RefusedReply}): it issues the query again after the
 * last {@code _id} it returned, with half the batch size, down to 1 (a single document always fits
 * a reply). Every document is returned once, in order. The smaller batch stays for the rest of this
 * cursor. Not thread-safe.
 */
@Internal
public final class IdOrderedCursor implements Iterator<RawBsonDocument>, AutoCloseable {

    /**
     * Opens the query sorted by ascending {@code _id}; with {@code after}, only the ids above it.
     */
    @FunctionalInterface
    public interface Query {
        MongoCursor<RawBsonDocument> open(@Nullable BsonValue after, int batchSize);
    }

    /** Told each time a refused reply made the cursor halve its batch. */
    @FunctionalInterface
    public interface ShrinkListener {
        void batchShrunk(RefusedReply reply, int fromBatch, int toBatch);
    }

    private final Query query;
    @Nullable private final Comparator<BsonValue> clientOrder;
    private final ShrinkListener listener;
    private int batchSize;

    @Nullable private MongoCursor<RawBsonDocument> cursor;
    @Nullable private RawBsonDocument next;
    @Nullable private BsonValue lastId;
    private boolean skipping;

    private IdOrderedCursor(
            Query query,
            int batchSize,
            @Nullable Comparator<BsonValue> clientOrder,
            ShrinkListener listener) {
        checkArgument(batchSize >= 1, "batchSize must be at least 1, was %s", batchSize);
        this.query = checkNotNull(query);
        this.batchSize = batchSize;
        this.clientOrder = clientOrder;
        this.listener = checkNotNull(listener);
    }

    /** For a query that selects the ids above {@code after} itself when asked to. */
    public static IdOrderedCursor resumingAfter(
            Query query, int batchSize, ShrinkListener listener) {
        return new IdOrderedCursor(query, batchSize, null, listener);
    }

    /**
     * For a query that cannot select ids above a value (its server's range filters are not exact
     * for these ids): it is issued again from its start (with {@code after} null), and the ids up
     * to the last one returned in {@code order} (the server's sort order) are skipped.
     */
    public static IdOrderedCursor skippingTo(
            Query query, int batchSize, Comparator<BsonValue> order, ShrinkListener listener) {
        return new IdOrderedCursor(query, batchSize, checkNotNull(order), listener);
    }

    @Override
    public boolean hasNext() {
        while (next == null) {
            try {
                if (cursor == null) {
                    cursor = query.open(clientOrder == null ? lastId : null, batchSize);
                    skipping = clientOrder != null && lastId != null;
                }
                if (!cursor.hasNext()) {
                    return false;
                }
                RawBsonDocument document = cursor.next();
                if (skipping && clientOrder.compare(document.get("_id"), lastId) <= 0) {
                    continue;
                }
                skipping = false;
                next = document;
            } catch (MongoException e) {
                RefusedReply reply = RefusedReply.of(e);
                if (reply == null || batchSize == 1) {
                    throw e;
                }
                closeQuietly();
                int from = batchSize;
                batchSize = Math.max(1, batchSize / 2);
                listener.batchShrunk(reply, from, batchSize);
            }
        }
        return true;
    }

    @Override
    public RawBsonDocument next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        RawBsonDocument document = next;
        next = null;
        lastId = document.get("_id");
        return document;
    }

    /** The batch size queries are issued with now. */
    public int batchSize() {
        return batchSize;
    }

    @Override
    public void close() {
        if (cursor != null) {
            MongoCursor<RawBsonDocument> open = cursor;
            cursor = null;
            open.close();
        }
    }

    /** After a refused reply the driver has closed the connection; the cursor cannot be killed. */
    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            cursor = null;
        }
    }
}
