package io.mongoresume.job.testutils;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;

import org.bson.RawBsonDocument;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.mongoresume.connectors.event.EventKeys;

/**
 * Compares a source and a target collection document by document: each side becomes a map from the
 * canonical {@code _id} to a SHA-256 of the document's exact BSON bytes, so "equal" means bit-exact, and the
 * comparison does not depend on either server's sort order.
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
     * Like {@link #of(MongoDatabase, MongoDatabase, String)}, but comparing field content regardless of field
     * order when the target server is detected to keep a document's old field order on replace (the
     * embedded test server does; MongoDB replaces the whole document). Bit-exact everywhere else.
     */
    public static CollectionDiff ofReplacedDocuments(
            MongoDatabase source, MongoDatabase target, String collection) {
        return of(source, target, collection, !ReplaceFieldOrderProbe.keepsOldFieldOrder(target));
    }

    private static CollectionDiff of(
            MongoDatabase source, MongoDatabase target, String collection, boolean exact) {
        Map<String, String> sourceDocs =
                hashes(source.getCollection(collection, RawBsonDocument.class), exact);
        Map<String, String> targetDocs =
                hashes(target.getCollection(collection, RawBsonDocument.class), exact);
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
                                + find(source.getCollection(collection, RawBsonDocument.class), key)
                                + "\n  target: "
                                + find(target.getCollection(collection, RawBsonDocument.class), key));
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
        return keys.size() + (keys.isEmpty() ? "" : " e.g. " + keys.subList(0, Math.min(5, keys.size())));
    }

    private static String find(MongoCollection<RawBsonDocument> collection, String key) {
        for (RawBsonDocument doc : collection.find()) {
            if (key(doc).equals(key)) {
                return doc.toJson();
            }
        }
        return null;
    }

    private static String key(RawBsonDocument doc) {
        return EventKeys.key("", "", doc.get("_id")).replace('\u0000', ' ');
    }

    private static Map<String, String> hashes(
            MongoCollection<RawBsonDocument> collection, boolean exact) {
        Map<String, String> hashes = new HashMap<>();
        for (RawBsonDocument doc : collection.find()) {
            hashes.put(key(doc), exact ? sha256(doc) : sha256(sortedFields(doc)));
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
