package io.mongoresume.connectors.snapshot.query;

import org.apache.flink.annotation.Internal;

import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.cursor.TimeoutMode;

import java.util.concurrent.TimeUnit;

/**
 * Snapshot cursors live as long as a split or a whole collection scan takes, far longer than one
 * request may. Under the driver's operation timeout a cursor is bounded over its whole lifetime by
 * default; these cursors bound each round trip instead.
 */
@Internal
public final class CursorTimeouts {

    private CursorTimeouts() {}

    /**
     * The find, bounding each batch by {@code collection}'s operation timeout; unchanged when the
     * collection has none (the driver refuses a timeout mode without a timeout).
     */
    public static <T> FindIterable<T> perBatch(
            FindIterable<T> find, MongoCollection<?> collection) {
        return collection.getTimeout(TimeUnit.MILLISECONDS) == null
                ? find
                : find.timeoutMode(TimeoutMode.ITERATION);
    }
}
