package io.mongoresume.connectors.snapshot.reader;

import org.apache.flink.annotation.Internal;

import org.bson.BsonValue;
import org.bson.RawBsonDocument;

/** One fetched document, with the last {@code _id} of the batch it was fetched in. */
@Internal
final class SnapshotRecord {

    final RawBsonDocument document;
    final BsonValue id;
    final BsonValue batchLastId;
    final long readTimeMillis;

    SnapshotRecord(
            RawBsonDocument document, BsonValue id, BsonValue batchLastId, long readTimeMillis) {
        this.document = document;
        this.id = id;
        this.batchLastId = batchLastId;
        this.readTimeMillis = readTimeMillis;
    }
}
