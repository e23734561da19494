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

    private CollectionDiff(String collection, long sourceCount, long targetCount) {
        this.collection = collection;
        this.sourceCount = sourceCount;
        this.targetCount = targetCount;
    }

    public static CollectionDiff of(MongoDatabase source, MongoDatabase target, String collection) {
        Map<String, String> sourceDocs = hashes(source.getCollection(collection, RawBsonDocument.class));
        Map<String, String> targetDocs = hashes(target.getCollection(collection, RawBsonDocument.class));
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
                + head(different);
    }

    private static String head(List<String> keys) {
        return keys.size() + (keys.isEmpty() ? "" : " e.g. " + keys.subList(0, Math.min(5, keys.size())));
    }

    private static Map<String, String> hashes(MongoCollection<RawBsonDocument> collection) {
        Map<String, String> hashes = new HashMap<>();
        for (RawBsonDocument doc : collection.find()) {
            String key = EventKeys.key("", "", doc.get("_id")).replace('\u0000', ' ');
            hashes.put(key, sha256(doc));
        }
        return hashes;
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
