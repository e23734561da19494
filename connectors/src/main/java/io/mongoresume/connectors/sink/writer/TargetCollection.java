package io.mongoresume.connectors.sink.writer;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoCollection;
import org.bson.RawBsonDocument;

/** One target namespace of a writer: its collection handle, metrics and pending writes. */
final class TargetCollection {

    private final MongoNamespace namespace;
    private final MongoCollection<RawBsonDocument> collection;
    private final NamespaceMetrics metrics;
    private final NamespaceBuffer buffer = new NamespaceBuffer();

    TargetCollection(
            MongoNamespace namespace,
            MongoCollection<RawBsonDocument> collection,
            NamespaceMetrics metrics) {
        this.namespace = namespace;
        this.collection = collection;
        this.metrics = metrics;
    }

    MongoNamespace namespace() {
        return namespace;
    }

    /** {@code db.coll}, as logs, metrics and failures name it. */
    String fullName() {
        return namespace.getFullName();
    }

    /** With the sink's write concern. */
    MongoCollection<RawBsonDocument> collection() {
        return collection;
    }

    NamespaceMetrics metrics() {
        return metrics;
    }

    NamespaceBuffer buffer() {
        return buffer;
    }
}
