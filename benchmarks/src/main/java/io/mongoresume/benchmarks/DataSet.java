package io.mongoresume.benchmarks;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The benchmark's data: N documents of about 1 KB with {@code _id} 0..N-1, the same bytes for the
 * same N every time (each document's content depends only on its index).
 */
final class DataSet {

    static final String DATABASE = "bench";
    static final String COLLECTION = "orders";
    static final int SEED_BATCH = 1000;
    private static final long BASE_MILLIS = 1_700_000_000_000L;
    private static final String[] CITIES = {
        "Lisbon", "Oslo", "Kyoto", "Lagos", "Lima", "Perth", "Quito", "Riga"
    };
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 ".toCharArray();

    private DataSet() {}

    static Document document(long i) {
        SplittableRandom random = new SplittableRandom(i * 0x9E3779B97F4A7C15L + 17);
        char[] text = new char[720];
        for (int c = 0; c < text.length; c++) {
            text[c] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        List<Document> lines = new ArrayList<>();
        int lineCount = 1 + random.nextInt(3);
        for (int l = 0; l < lineCount; l++) {
            lines.add(
                    new Document("sku", "SKU-" + random.nextInt(100_000))
                            .append("qty", 1 + random.nextInt(9))
                            .append("price", random.nextInt(100_000) / 100.0));
        }
        return new Document("_id", i)
                .append("customer", "customer-" + random.nextInt(1_000_000))
                .append("email", "user" + i + "@example.com")
                .append("city", CITIES[random.nextInt(CITIES.length)])
                .append("created", new Date(BASE_MILLIS + i * 1000))
                .append("status", random.nextInt(4))
                .append("lines", lines)
                .append("note", new String(text));
    }

    /** Inserts documents 0..count-1 into the source collection (dropped first). */
    static void seed(String uri, long count) {
        try (MongoClient client = MongoClients.create(uri)) {
            MongoCollection<Document> collection =
                    client.getDatabase(DATABASE).getCollection(COLLECTION);
            collection.drop();
            List<Document> batch = new ArrayList<>(SEED_BATCH);
            for (long i = 0; i < count; i++) {
                batch.add(document(i));
                if (batch.size() == SEED_BATCH) {
                    collection.insertMany(batch);
                    batch = new ArrayList<>(SEED_BATCH);
                }
            }
            if (!batch.isEmpty()) {
                collection.insertMany(batch);
            }
        }
    }

    static long count(MongoClient client, String database) {
        return client.getDatabase(database).getCollection(COLLECTION).estimatedDocumentCount();
    }
}
