package io.mongoresume.connectors.sink.writer.operation;

import com.mongodb.client.model.InsertOneModel;
import io.mongoresume.connectors.event.MigrationEvent;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.conversions.Bson;

import java.util.Map;

/**
 * Insert-if-absent ({@link
 * io.mongoresume.connectors.sink.WritePolicy.InsertPolicy#IGNORE_EXISTING}): an {@code
 * updateOne({_id}, {$setOnInsert: <doc minus _id>}, upsert)}. It never fails, so it sits in an
 * ordered bulk without stopping it (an {@code insertOne} would raise duplicate key 11000 on every
 * existing document and halt the ordered bulk there, costing one round trip per existing document).
 * {@code $setOnInsert} reads top-level names as paths, so a document with a top-level name
 * containing '.' or starting with '$', or with no field but {@code _id}, falls back to {@code
 * insertOne}; the writer then treats its duplicate-key error as "already there" and resumes the
 * bulk after it.
 */
final class InsertIfAbsentOperation implements WriteOperation {

    static final InsertIfAbsentOperation INSTANCE = new InsertIfAbsentOperation();

    private InsertIfAbsentOperation() {}

    @Override
    public WriteOp toWrite(MigrationEvent event, Bson idFilter, String key) {
        RawBsonDocument doc = event.document();
        BsonDocument fields = new BsonDocument();
        boolean plainNames = true;
        for (Map.Entry<String, BsonValue> e : doc.entrySet()) {
            String name = e.getKey();
            if (name.equals(WriteOperations.ID)) {
                continue;
            }
            if (name.indexOf('.') >= 0 || name.startsWith("$")) {
                plainNames = false;
                break;
            }
            fields.append(name, e.getValue());
        }
        if (!plainNames || fields.isEmpty()) {
            return new WriteOp(
                    WriteOp.Kind.INSERT_IF_ABSENT, key, new InsertOneModel<>(doc), event);
        }
        return new WriteOp(
                WriteOp.Kind.INSERT_IF_ABSENT,
                key,
                UpdateById.model(idFilter, "$setOnInsert", fields, true),
                event);
    }
}
