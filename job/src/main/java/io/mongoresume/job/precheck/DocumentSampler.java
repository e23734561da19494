package io.mongoresume.job.precheck;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import io.mongoresume.connectors.common.read.IdOrderedCursor;
import io.mongoresume.connectors.snapshot.query.IdComparator;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.RawBsonDocument;

import java.util.List;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Reads the documents of a collection's data model sample. {@code $sample} picks the {@code _id}s
 * (only the ids travel in its reply, which some servers do not split into batches), then the
 * documents are read by {@code _id} in batches that fit a reply; servers without {@code $sample}
 * give the first documents by {@code _id}. Either way a reply refused for its length is read again
 * with smaller batches.
 */
final class DocumentSampler {

    private static final BsonDocument BY_ID = new BsonDocument("_id", new BsonInt32(1));

    /** The model of the sampled documents and how they were chosen. */
    record Sample(DataModel model, String method) {}

    private DocumentSampler() {}

    static Sample sample(MongoCollection<RawBsonDocument> collection, int size, int batchSize) {
        checkNotNull(collection);
        checkArgument(size > 0, "sample size must be positive");
        BsonArray ids = new BsonArray();
        String method;
        BsonDocument filter;
        try {
            for (RawBsonDocument doc :
                    collection.aggregate(
                            List.of(
                                    new BsonDocument(
                                            "$sample",
                                            new BsonDocument("size", new BsonInt32(size))),
                                    new BsonDocument("$project", BY_ID)))) {
                ids.add(doc.get("_id"));
            }
            method = "$sample of " + size;
            filter = new BsonDocument("_id", new BsonDocument("$in", ids));
        } catch (MongoException e) {
            method = "first " + size + " by _id ($sample not supported)";
            filter = new BsonDocument();
        }
        BsonDocument query = filter;
        DataModel model = new DataModel();
        // Ids of several types: $gt after the last one would skip the other types, so start over
        // and skip.
        try (IdOrderedCursor cursor =
                IdOrderedCursor.skippingTo(
                        (after, batch) ->
                                collection
                                        .find(query)
                                        .sort(BY_ID)
                                        .limit(size)
                                        .batchSize(batch)
                                        .iterator(),
                        batchSize,
                        IdComparator.INSTANCE,
                        (reply, from, to) -> {})) {
            while (cursor.hasNext() && model.documents() < size) {
                model.add(cursor.next());
            }
        }
        return new Sample(model, method);
    }
}
