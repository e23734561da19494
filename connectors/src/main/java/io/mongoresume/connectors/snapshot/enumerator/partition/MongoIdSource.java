package io.mongoresume.connectors.snapshot.enumerator.partition;

import org.apache.flink.annotation.Internal;
import org.apache.flink.util.CloseableIterator;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Sorts;
import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.snapshot.query.CursorTimeouts;
import io.mongoresume.connectors.snapshot.query.TypeAliasSupport;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

import javax.annotation.Nullable;

import java.util.concurrent.TimeUnit;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * {@link IdSource} over a live collection. The collection's settings (read concern, operation
 * timeout) apply to every query. With an operation timeout, each round trip of the id scan is
 * bounded rather than the scan, and the counts of {@link #rangeFilterConsistent} are not bounded:
 * they scan a whole type bracket.
 */
@Internal
public final class MongoIdSource implements IdSource {

    /** Ids per round trip of the COUNT scan: ids are small, so large batches save round trips. */
    static final int SCAN_BATCH_SIZE = 10_000;

    private static final BsonDocument ID_ONLY = new BsonDocument("_id", new BsonInt32(1));

    private final MongoCollection<RawBsonDocument> collection;
    private final TypeAliasSupport aliases;

    public MongoIdSource(MongoCollection<RawBsonDocument> collection, TypeAliasSupport aliases) {
        this.collection = checkNotNull(collection);
        this.aliases = checkNotNull(aliases);
    }

    @Override
    public CloseableIterator<BsonValue> scanIds(CountScanPosition from) {
        MongoCursor<RawBsonDocument> cursor =
                aliases.run(
                        collection,
                        () -> {
                            BsonDocument filter = CountPartitioner.resumeFilter(from, aliases);
                            return CursorTimeouts.perBatch(
                                            collection
                                                    .find(
                                                            filter == null
                                                                    ? new BsonDocument()
                                                                    : filter)
                                                    .projection(ID_ONLY)
                                                    .sort(Sorts.ascending("_id"))
                                                    .batchSize(SCAN_BATCH_SIZE),
                                            collection)
                                    .iterator();
                        });
        return new CloseableIterator<>() {
            @Override
            public boolean hasNext() {
                return cursor.hasNext();
            }

            @Override
            public BsonValue next() {
                return cursor.next().get("_id");
            }

            @Override
            public void close() {
                cursor.close();
            }
        };
    }

    @Nullable
    @Override
    public BsonValue minId(@Nullable TypeBracket bracket) {
        return edgeId(bracket, 1);
    }

    @Nullable
    @Override
    public BsonValue maxId(@Nullable TypeBracket bracket) {
        return edgeId(bracket, -1);
    }

    @Nullable
    private BsonValue edgeId(@Nullable TypeBracket bracket, int direction) {
        if (bracket == null) {
            RawBsonDocument any =
                    collection
                            .find()
                            .projection(ID_ONLY)
                            .sort(new BsonDocument("_id", new BsonInt32(direction)))
                            .limit(1)
                            .first();
            return any == null ? null : any.get("_id");
        }
        RawBsonDocument doc =
                aliases.run(
                        collection,
                        () -> {
                            if (aliases.aliases(bracket).isEmpty()) {
                                return null;
                            }
                            return collection
                                    .find(new BsonDocument("_id", aliases.typeCondition(bracket)))
                                    .projection(ID_ONLY)
                                    .sort(new BsonDocument("_id", new BsonInt32(direction)))
                                    .limit(1)
                                    .first();
                        });
        return doc == null ? null : doc.get("_id");
    }

    @Override
    public boolean rangeFilterConsistent(TypeBracket bracket, BsonValue min) {
        MongoCollection<RawBsonDocument> unbounded =
                collection.withTimeout(0, TimeUnit.MILLISECONDS);
        return aliases.run(
                collection,
                () -> {
                    long all =
                            unbounded.countDocuments(
                                    new BsonDocument("_id", aliases.typeCondition(bracket)));
                    long fromMin =
                            unbounded.countDocuments(aliases.idFilter(bracket, min, null, null));
                    return all == fromMin;
                });
    }

    @Override
    public TypeAliasSupport typeAliases() {
        return aliases;
    }
}
