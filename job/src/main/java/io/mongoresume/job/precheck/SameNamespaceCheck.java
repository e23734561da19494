package io.mongoresume.job.precheck;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.common.selection.NamespaceMap;
import io.mongoresume.connectors.destination.TargetMetadata;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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

    /**
     * What the job would write into, for the message.
     *
     * @param collections each selected collection whose target is a selected collection: its name,
     *     or {@code name -> other} where the namespace map sends it onto another one
     * @param evidence how the deployments were found to be one
     */
    public record Overlap(List<String> collections, String evidence) {}

    private SameNamespaceCheck() {}

    /**
     * @param map where each source namespace goes
     * @param namespaces the selected source namespaces ({@code db.collection})
     * @param home the shorthand's database, whose collections the overlap names without it; null
     *     names full namespaces
     * @return the selected namespaces whose target namespace is a selected source namespace, or
     *     null when the target is another deployment or no target namespace is selected
     */
    @Nullable
    public static Overlap find(
            MongoClient source,
            MongoClient target,
            NamespaceMap map,
            List<String> namespaces,
            @Nullable String home) {
        Set<String> selected = new TreeSet<>(namespaces);
        // Per database: source collection -> the selected collection of that database it lands on.
        Map<String, Map<String, String>> onto = new TreeMap<>();
        for (String ns : selected) {
            String database = CollectionSelection.databaseOf(ns);
            MongoNamespace written = map.target(database, CollectionSelection.collectionOf(ns));
            if (selected.contains(written.getFullName())) {
                onto.computeIfAbsent(written.getDatabaseName(), d -> new TreeMap<>())
                        .put(ns, written.getCollectionName());
            }
        }
        List<String> described = new ArrayList<>();
        String evidence = null;
        for (Map.Entry<String, Map<String, String>> inDatabase : onto.entrySet()) {
            String database = inDatabase.getKey();
            Overlap same =
                    sameCollections(source, target, database, inDatabase.getValue().values());
            if (same == null) {
                continue;
            }
            evidence = same.evidence();
            String into = database;
            inDatabase
                    .getValue()
                    .forEach(
                            (from, to) -> {
                                if (same.collections().contains(to)) {
                                    String label = label(from, home);
                                    String toLabel =
                                            label(CollectionSelection.namespace(into, to), home);
                                    described.add(
                                            label.equals(toLabel)
                                                    ? label
                                                    : label + " -> " + toLabel);
                                }
                            });
        }
        return described.isEmpty() ? null : new Overlap(described, evidence);
    }

    /** A namespace as the overlap names it: without the shorthand's database, where it has it. */
    private static String label(String namespace, @Nullable String home) {
        return home != null && CollectionSelection.databaseOf(namespace).equals(home)
                ? CollectionSelection.collectionOf(namespace)
                : namespace;
    }

    /** Which of {@code names} are one collection on both sides, and how that was found. */
    @Nullable
    private static Overlap sameCollections(
            MongoClient source, MongoClient target, String database, Collection<String> names) {
        List<String> collections = new ArrayList<>(new TreeSet<>(names));
        Map<String, BsonValue> sourceIds = uuids(source.getDatabase(database));
        Map<String, BsonValue> targetIds = uuids(target.getDatabase(database));
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
        return probe(source, target, database)
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
