package io.mongoresume.connectors.common.read;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

import java.util.List;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * A collection's average document size in BSON bytes, and where it comes from: the {@code
 * collStats} command's {@code avgObjSize}, else the {@code $collStats} stage's storage stats
 * (summed over shards), else a measure of the first few documents, read one per reply. Unknown for
 * an empty collection or when nothing answers. Immutable.
 *
 * @param averageBytes the average in bytes; -1 when unknown (any value that is not positive)
 * @param source where the average comes from, or why it is unknown
 */
@Internal
public record DocumentSize(long averageBytes, String source) {

    /** Documents measured when the server gives no statistics. */
    static final int MEASURED_DOCUMENTS = 10;

    public DocumentSize {
        averageBytes = averageBytes > 0 ? averageBytes : -1;
        checkNotNull(source);
    }

    /**
     * A known average (positive), or unknown (not positive); {@code source} says where it came
     * from.
     */
    public static DocumentSize of(long averageBytes, String source) {
        return new DocumentSize(averageBytes, source);
    }

    public static DocumentSize unknown(String why) {
        return new DocumentSize(-1, why);
    }

    /**
     * Asks the server, falling back as described in the class comment; never throws for a refusal.
     */
    public static DocumentSize measure(MongoDatabase database, String collection) {
        try {
            BsonDocument stats =
                    database.runCommand(
                            new BsonDocument("collStats", new BsonString(collection)),
                            BsonDocument.class);
            long average = number(stats.get("avgObjSize"));
            if (average > 0) {
                return of(average, "collStats");
            }
        } catch (MongoException e) {
            // A view, a missing privilege, a server without the command: try the next way.
        }
        try {
            long count = 0;
            long size = 0;
            for (BsonDocument shard :
                    database.getCollection(collection, BsonDocument.class)
                            .aggregate(
                                    List.of(
                                            new BsonDocument(
                                                    "$collStats",
                                                    new BsonDocument(
                                                            "storageStats",
                                                            new BsonDocument()))))) {
                BsonValue storage = shard.get("storageStats");
                if (storage != null && storage.isDocument()) {
                    count += Math.max(0, number(storage.asDocument().get("count")));
                    size += Math.max(0, number(storage.asDocument().get("size")));
                }
            }
            if (count > 0 && size > 0) {
                return of(Math.max(1, size / count), "$collStats");
            }
        } catch (MongoException e) {
            // As above.
        }
        return measureFirstDocuments(database, collection);
    }

    @VisibleForTesting
    static DocumentSize measureFirstDocuments(MongoDatabase database, String collection) {
        long bytes = 0;
        int documents = 0;
        try (MongoCursor<RawBsonDocument> cursor =
                database.getCollection(collection, RawBsonDocument.class)
                        .find()
                        .limit(MEASURED_DOCUMENTS)
                        .batchSize(1)
                        .iterator()) {
            while (cursor.hasNext()) {
                bytes += cursor.next().getByteBuffer().remaining();
                documents++;
            }
        } catch (MongoException e) {
            return unknown(
                    "no statistics, and measuring failed: "
                            + MongoConnectionOptions.mask(e.getMessage()));
        }
        if (documents == 0) {
            return unknown("no statistics, no documents");
        }
        return of(bytes / documents, documents + " documents measured");
    }

    private static long number(BsonValue value) {
        return value != null && value.isNumber() ? value.asNumber().longValue() : -1;
    }

    public boolean known() {
        return averageBytes > 0;
    }

    /** Documents per batch for this size: see {@link ReplyBudget#batchSize}. */
    public int batchSize(int maxBatch) {
        return ReplyBudget.batchSize(averageBytes, maxBatch);
    }

    @Override
    public String toString() {
        return known() ? averageBytes + " bytes (" + source + ")" : "unknown (" + source + ")";
    }
}
