package io.mongoresume.job.precheck;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.mongoresume.connectors.destination.TargetMetadata;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Whether a target namespace is a selected source namespace of the same deployment: then the job
 * would write into (and with {@code target.existing-data} clear or drop) the very collections it
 * reads. The deployments are compared by what the servers say, never by the URI text ({@code
 * localhost} and {@code 127.0.0.1}, a replica-set member and the set's seed list, two mongos of one
 * cluster all name one deployment):
 *
 * <ol>
 *   <li>A collection has one UUID for its life, reported by {@code listCollections} (MongoDB 3.6+):
 *       the same UUID on both sides is the same collection; a selected collection missing on the
 *       target, or present there with another UUID, is not.
 *   <li>Servers that report no UUIDs (the embedded test server) are asked directly: a probe
 *       document with a random value is written to the target (collection {@value
 *       #PROBE_COLLECTION}, dropped afterwards) and looked for through the source connection.
 * </ol>
 */
public final class SameNamespaceCheck {

    static final String PROBE_COLLECTION = TargetMetadata.PREFIX + "_identity_probe";

    /** How the overlap was found, for the message. */
    public record Overlap(List<String> collections, String evidence) {}

    private SameNamespaceCheck() {}

    /**
     * @return the selected collections whose target namespace is the source namespace itself, or
     *     null when the target is another deployment or another database
     */
    @Nullable
    public static Overlap find(
            MongoClient source,
            MongoClient target,
            String sourceDatabase,
            String targetDatabase,
            List<String> collections) {
        if (!sourceDatabase.equals(targetDatabase) || collections.isEmpty()) {
            return null;
        }
        Map<String, BsonValue> sourceIds = uuids(source.getDatabase(sourceDatabase));
        Map<String, BsonValue> targetIds = uuids(target.getDatabase(targetDatabase));
        List<String> same = new ArrayList<>();
        boolean undecided = false;
        for (String collection : collections) {
            if (!targetIds.containsKey(collection)) {
                return null; // one listing has it, the other not: two deployments
            }
            BsonValue s = sourceIds.get(collection);
            BsonValue t = targetIds.get(collection);
            if (s == null || t == null) {
                undecided = true;
            } else if (s.equals(t)) {
                same.add(collection);
            } else {
                return null; // one name, two collections: two deployments
            }
        }
        if (!undecided) {
            return same.isEmpty()
                    ? null
                    : new Overlap(same, "their collections have the same UUIDs");
        }
        return probe(source, target, sourceDatabase)
                ? new Overlap(
                        collections,
                        "a probe document written to the target was read from the source")
                : null;
    }

    /** Collection name to UUID; collections the server reports without one map to null. */
    private static Map<String, BsonValue> uuids(MongoDatabase db) {
        Map<String, BsonValue> ids = new HashMap<>();
        for (BsonDocument info : db.listCollections(BsonDocument.class)) {
            BsonDocument details = info.getDocument("info", new BsonDocument());
            BsonValue uuid = details.get("uuid");
            ids.put(info.getString("name").getValue(), uuid instanceof BsonBinary ? uuid : null);
        }
        return ids;
    }

    private static boolean probe(MongoClient source, MongoClient target, String database) {
        MongoCollection<BsonDocument> written =
                target.getDatabase(database).getCollection(PROBE_COLLECTION, BsonDocument.class);
        BsonDocument probe = new BsonDocument("_id", new BsonString(UUID.randomUUID().toString()));
        written.insertOne(probe);
        try {
            return source.getDatabase(database)
                            .getCollection(PROBE_COLLECTION, BsonDocument.class)
                            .find(probe)
                            .first()
                    != null;
        } finally {
            written.drop();
        }
    }
}
