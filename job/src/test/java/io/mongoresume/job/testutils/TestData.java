package io.mongoresume.job.testutils;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.mongoresume.job.demo.SampleDataSeeder;
import org.bson.Document;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** Small data and comparison steps that many integration tests share. */
public final class TestData {

    /**
     * The collections {@link SampleDataSeeder} fills, in the order the tests' workloads pick from.
     */
    public static final List<String> SAMPLE_COLLECTIONS =
            List.of(
                    SampleDataSeeder.CUSTOMERS,
                    SampleDataSeeder.ORDERS,
                    SampleDataSeeder.EVENTS,
                    SampleDataSeeder.EMPTY_COLLECTION,
                    SampleDataSeeder.SINGLETON);

    private TestData() {}

    /**
     * Inserts {@code {_id: i, v: i}} for i in [from, from + count): fresh ids only (the embedded
     * server streams a failed insert).
     */
    public static void insertNumbered(MongoDatabase db, String collection, int from, int count) {
        List<Document> batch = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            batch.add(new Document("_id", i).append("v", i));
        }
        db.getCollection(collection).insertMany(batch);
    }

    /** Inserts {@code document(i)} for i in [0, count), 5000 documents per insert. */
    /**
     * {@code count} customer-like documents with long {@code _id}s 0..count-1, arrays and an
     * embedded address.
     */
    public static void insertCustomers(MongoCollection<Document> collection, int count) {
        insertInBatches(
                collection,
                count,
                i ->
                        new Document("_id", (long) i)
                                .append("name", "customer " + i)
                                .append("tags", List.of("a" + (i % 7), "b" + (i % 11)))
                                .append(
                                        "address",
                                        new Document("city", "C" + (i % 97))
                                                .append("zip", i % 100000)));
    }

    public static void insertInBatches(
            MongoCollection<Document> collection, int count, IntFunction<Document> document) {
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(document.apply(i));
            if (batch.size() == 5000 || i == count - 1) {
                collection.insertMany(batch);
                batch.clear();
            }
        }
    }

    /**
     * Waits until every collection of the target equals its source document by document; fails with
     * the differences.
     */
    public static void awaitEqual(
            MongoDatabase source, MongoDatabase target, List<String> collections, Duration timeout)
            throws InterruptedException {
        List<CollectionDiff> diffs = new ArrayList<>();
        try {
            TestJobs.await(
                    collections + " to equal the source",
                    timeout,
                    () -> {
                        diffs.clear();
                        collections.forEach(
                                c ->
                                        diffs.add(
                                                CollectionDiff.ofReplacedDocuments(
                                                        source, target, c)));
                        return diffs.stream().allMatch(CollectionDiff::isEqual);
                    });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + diffs, e);
        }
    }
}
