package io.mongoresume.connectors.sink.writer.operation;

import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.bson.conversions.Bson;

/**
 * The {@code updateOne} by {@code _id} of the operations that write through one update operator
 * instead of a whole document: insert-if-absent ({@code $setOnInsert}) and the soft delete ({@code
 * $set}).
 */
final class UpdateById {

    private static final UpdateOptions UPSERT = new UpdateOptions().upsert(true);
    private static final UpdateOptions NO_UPSERT = new UpdateOptions().upsert(false);

    private UpdateById() {}

    /** {@code updateOne(idFilter, {<operator>: fields}, {upsert})}. */
    static UpdateOneModel<RawBsonDocument> model(
            Bson idFilter, String operator, BsonDocument fields, boolean upsert) {
        return new UpdateOneModel<>(
                idFilter, new BsonDocument(operator, fields), upsert ? UPSERT : NO_UPSERT);
    }
}
