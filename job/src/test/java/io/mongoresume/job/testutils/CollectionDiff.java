package io.mongoresume.job.testutils;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Sorts;
import io.mongoresume.connectors.common.read.DocumentSize;
import io.mongoresume.connectors.common.read.IdOrderedCursor;
import io.mongoresume.connectors.event.EventKeys;
import io.mongoresume.connectors.snapshot.query.IdComparator;
import org.bson.RawBsonDocument;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares a source and a target collection document by document: each side becomes a map from the
 * canonical {@code _id} to a SHA-256 of the document's exact BSON bytes, so "equal" means
 * bit-exact, and the comparison does not depend on either server's sort order.
 */
public final class CollectionDiff {

    public final String collection;
    public final long sourceCount;
    public final long targetCount;
    public final List<String> missing = new ArrayList<>();
    public final List<String> extra = new ArrayList<>();
    public final List<String> different = new ArrayList<>();

    /** Source and target JSON of the first few different documents, for the failure message. */
    public final List<String> samples = new ArrayList<>();

    private CollectionDiff(String collection, long sourceCount, long targetCount) {
        this.collection = collection;
        this.sourceCount = sourceCount;
        this.targetCount = targetCount;
    }

    public static CollectionDiff of(MongoDatabase source, MongoDatabase target, String collection) {
        return of(source, target, collection, true);
    }

    /**
     * Like {@link #of(MongoDatabase, MongoDatabase, String)}, but comparing field content
     * regardless of field order when the target server is detected to keep a document's old field
     * order on replace (the embedded test server does; MongoDB replaces the whole document).
     * Bit-exact everywhere else.
     */
    public static CollectionDiff ofReplacedDocuments(
            MongoDatabase source, MongoDatabase target, String collection) {
        return ofRenamed(source, collection, target, collection);
    }

    /**
     * {@link #ofReplacedDocuments} of a source collection and the target collection of another name
     * (or database) that a namespace map sends it to.
     */
    public static CollectionDiff ofRenamed(
            MongoDatabase source, String collection, MongoDatabase target, String targetName) {
        return of(
                source,
                collection,
                target,
                targetName,
                !ReplaceFieldOrderProbe.keepsOldFieldOrder(target));
    }

    private static CollectionDiff of(
            MongoDatabase source, MongoDatabase target, String collection, boolean exact) {
        return of(source, collection, target, collection, exact);
    }

    private static CollectionDiff of(
            MongoDatabase source,
            String collection,
            MongoDatabase target,
            String targetName,
            boolean exact) {
        Map<String, String> sourceDocs = hashes(source, collection, exact);
        Map<String, String> targetDocs = hashes(target, targetName, exact);
        CollectionDiff diff = new CollectionDiff(collection, sourceDocs.size(), targetDocs.size());
        for (Map.Entry<String, String> entry : sourceDocs.entrySet()) {
            String targetHash = targetDocs.get(entry.getKey());
            if (targetHash == null) {
                diff.missing.add(entry.getKey());
            } else if (!targetHash.equals(entry.getValue())) {
                diff.different.add(entry.getKey());
            }
        }
        for (String key : targetDocs.keySet()) {
            if (!sourceDocs.containsKey(key)) {
                diff.extra.add(key);
            }
        }
        if (!diff.different.isEmpty()) {
            List<String> wanted = diff.different.subList(0, Math.min(3, diff.different.size()));
            for (String key : wanted) {
                diff.samples.add(
                        key
                                + "\n  source: "
                                + find(source, collection, key)
                                + "\n  target: "
                                + find(target, targetName, key));
            }
        }
        return diff;
    }

    public boolean isEqual() {
        return missing.isEmpty() && extra.isEmpty() && different.isEmpty();
    }

    @Override
    public String toString() {
        return collection
                + ": source="
                + sourceCount
                + " target="
                + targetCount
                + " missing="
                + head(missing)
                + " extra="
                + head(extra)
                + " different="
                + head(different)
                + (samples.isEmpty() ? "" : "\n" + String.join("\n", samples));
    }

    private static String head(List<String> keys) {
        return keys.size()
                + (keys.isEmpty() ? "" : " e.g. " + keys.subList(0, Math.min(5, keys.size())));
    }

    private static String find(MongoDatabase database, String collection, String key) {
        try (IdOrderedCursor cursor = all(database, collection)) {
            while (cursor.hasNext()) {
                RawBsonDocument doc = cursor.next();
                if (key(doc).equals(key)) {
                    return doc.toJson();
                }
            }
        }
        return null;
    }

    /**
     * Every document, in batches that fit a reply: the embedded server answers a find without a
     * batch size with the whole collection in one reply, which the driver refuses above 48 MB.
     */
    private static IdOrderedCursor all(MongoDatabase database, String collection) {
        MongoCollection<RawBsonDocument> coll =
                database.getCollection(collection, RawBsonDocument.class);
        return IdOrderedCursor.skippingTo(
                (after, batchSize) ->
                        coll.find().sort(Sorts.ascending("_id")).batchSize(batchSize).iterator(),
                DocumentSize.measure(database, collection).batchSize(1000),
                IdComparator.INSTANCE,
                (reply, from, to) -> {});
    }

    private static String key(RawBsonDocument doc) {
        return keyOf(doc.get("_id"));
    }

    /**
     * How {@link #missing}, {@link #extra} and {@link #different} name the document of {@code id}.
     */
    public static String keyOf(org.bson.BsonValue id) {
        return EventKeys.key("", "", id).replace('\u0000', ' ');
    }

    private static Map<String, String> hashes(
            MongoDatabase database, String collection, boolean exact) {
        Map<String, String> hashes = new HashMap<>();
        try (IdOrderedCursor cursor = all(database, collection)) {
            while (cursor.hasNext()) {
                RawBsonDocument doc = cursor.next();
                hashes.put(key(doc), exact ? sha256(doc) : sha256(sortedFields(doc)));
            }
        }
        return hashes;
    }

    /** The document with the fields of it and of every embedded document in name order. */
    private static RawBsonDocument sortedFields(org.bson.BsonDocument doc) {
        org.bson.BsonDocument sorted = new org.bson.BsonDocument();
        new java.util.TreeMap<>(doc).forEach((k, v) -> sorted.append(k, sortedValue(v)));
        return new RawBsonDocument(sorted, new org.bson.codecs.BsonDocumentCodec());
    }

    private static org.bson.BsonValue sortedValue(org.bson.BsonValue value) {
        if (value.isDocument()) {
            return sortedFields(value.asDocument());
        }
        if (value.isArray()) {
            org.bson.BsonArray array = new org.bson.BsonArray();
            value.asArray().forEach(v -> array.add(sortedValue(v)));
            return array;
        }
        return value;
    }

    private static String sha256(RawBsonDocument doc) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteBuffer bytes = doc.getByteBuffer().asNIO();
            digest.update(bytes);
            return Base64.getEncoder().encodeToString(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
