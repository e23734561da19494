package io.mongoresume.job.testutils;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Detects a server whose replaceOne keeps the replaced document's field order (the embedded test
 * server: replacing {a, b} with {b, a} stores {a, b}). MongoDB stores the replacement as given. On
 * such a server a document the target reached through a different history than the source can
 * differ in field order only, so tests compare content there; against a real MongoDB they compare
 * bytes.
 */
final class ReplaceFieldOrderProbe {

    private static final Map<String, Boolean> RESULTS = new ConcurrentHashMap<>();

    private ReplaceFieldOrderProbe() {}

    static boolean keepsOldFieldOrder(MongoDatabase database) {
        return RESULTS.computeIfAbsent(database.getName(), name -> probe(database));
    }

    private static boolean probe(MongoDatabase database) {
        MongoCollection<Document> probe = database.getCollection("__replace_order_probe");
        try {
            probe.insertOne(new Document("_id", 1).append("a", 1).append("b", 2));
            probe.replaceOne(
                    Filters.eq("_id", 1), new Document("_id", 1).append("b", 2).append("a", 1));
            List<String> keys = new ArrayList<>(probe.find().first().keySet());
            boolean keeps = !keys.equals(List.of("_id", "b", "a"));
            if (keeps) {
                System.out.println(
                        "NOTE: the target server keeps old field order on replace ("
                                + keys
                                + "); documents"
                                + " are compared by content, field order ignored.");
            }
            return keeps;
        } finally {
            probe.drop();
        }
    }
}
