package io.mongoresume.job.demo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Writes deterministic, realistic sample data into a source database, for the demo, tests and
 * benchmarks.
 *
 * <p>Collections and their {@code _id}s (same {@link SeedPlan} → byte-identical documents):
 *
 * <ul>
 *   <li>{@value #CUSTOMERS}: ObjectId ids ascending with the index; unicode names (accents, CJK,
 *       Cyrillic, Arabic, emoji), nested address with geo, tag arrays, Decimal128 balance, dates,
 *       booleans, nulls; a unique index on {@code email} and a sparse one on {@code loyaltyId}
 *       (~30% of documents).
 *   <li>{@value #ORDERS}: the largest; long ids {@code 1..n}; a line-item array with Decimal128
 *       prices; {@code customerId} references a customer; a compound index {customerId: 1,
 *       createdAt: -1}.
 *   <li>{@value #EVENTS}: eight {@code _id} types in one collection, by {@code index % 8}:
 *       ObjectId, int, long (10^12 + i), double (i + 0.25), string, UUID binary (subtype 4),
 *       embedded document, date. No two are numerically equal, as MongoDB would treat {@code 1} and
 *       {@code 1L} as one _id.
 *   <li>{@value #EMPTY_COLLECTION} (created, no documents) and {@value #SINGLETON} (one document).
 * </ul>
 *
 * <p>Every document also has {@code tags}, {@code note}, {@code version}, {@code updatedAt}, which
 * {@link WorkloadGenerator} changes. Documents are ~0.5–1 KB of BSON.
 */
public final class SampleDataSeeder {

    private static final Logger LOG = LoggerFactory.getLogger(SampleDataSeeder.class);

    public static final String CUSTOMERS = "customers";
    public static final String ORDERS = "orders";
    public static final String EVENTS = "events";
    public static final String EMPTY_COLLECTION = "empty_collection";
    public static final String SINGLETON = "singleton";

    /** Documents per insertMany. */
    public static final int BATCH_SIZE = 1000;

    private SampleDataSeeder() {}

    /** Seeds {@code database} per {@code plan}, logging progress. */
    public static SeedReport seed(MongoDatabase database, SeedPlan plan) {
        return seed(database, plan, LOG::info);
    }

    /**
     * Creates the five sample collections with their secondary indexes, then inserts the planned
     * documents in batches of {@value #BATCH_SIZE}, reporting progress about every 10% to {@code
     * progress}.
     *
     * @throws IllegalStateException if one of the collections already holds documents (seeding
     *     twice would fail on duplicate ids half-way through)
     */
    public static SeedReport seed(
            MongoDatabase database, SeedPlan plan, Consumer<String> progress) {
        checkNotNull(database, "database");
        checkNotNull(plan, "plan");
        checkNotNull(progress, "progress");
        long started = System.nanoTime();
        Set<String> existing = new HashSet<>();
        database.listCollectionNames().into(new ArrayList<>()).forEach(existing::add);
        for (String name : plan.counts().keySet()) {
            if (existing.contains(name) && database.getCollection(name).countDocuments() > 0) {
                throw new IllegalStateException(
                        "Collection "
                                + database.getName()
                                + "."
                                + name
                                + " already has documents; seed into an empty database");
            }
        }
        progress.accept("Seeding " + database.getName() + " with " + plan);

        long total = plan.totalDocuments();
        long step = Math.max(1, total / 10);
        long done = 0;
        long nextReport = step;
        Map<String, Long> counts = new LinkedHashMap<>();
        // Building documents costs about as much client CPU as sending them: do it one batch ahead.
        ExecutorService generator =
                Executors.newSingleThreadExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, "sample-data-generator");
                            thread.setDaemon(true);
                            return thread;
                        });
        try {
            for (String name : plan.counts().keySet()) {
                if (!existing.contains(name)) {
                    database.createCollection(name);
                }
                MongoCollection<Document> collection = database.getCollection(name);
                List<IndexModel> indexes = indexes(name);
                if (!indexes.isEmpty()) {
                    collection.createIndexes(indexes);
                }
                Iterator<Document> documents = documents(name, plan);
                Future<List<Document>> next = generator.submit(() -> nextBatch(documents));
                long inserted = 0;
                while (true) {
                    List<Document> batch = await(next);
                    if (batch.isEmpty()) {
                        break;
                    }
                    next = generator.submit(() -> nextBatch(documents));
                    collection.insertMany(batch, new InsertManyOptions().ordered(true));
                    inserted += batch.size();
                    done += batch.size();
                    if (done >= nextReport) {
                        progress.accept(
                                String.format(
                                        "Seeded %,d / %,d documents (%d%%), now in %s",
                                        done, total, Math.round(done * 100.0 / total), name));
                        nextReport = (done / step + 1) * step;
                    }
                }
                counts.put(name, inserted);
            }
        } finally {
            generator.shutdownNow();
        }
        SeedReport report = new SeedReport(counts, Duration.ofNanos(System.nanoTime() - started));
        progress.accept("Seeding done: " + report);
        return report;
    }

    private static List<Document> nextBatch(Iterator<Document> documents) {
        List<Document> batch = new ArrayList<>(BATCH_SIZE);
        while (batch.size() < BATCH_SIZE && documents.hasNext()) {
            batch.add(documents.next());
        }
        return batch;
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while seeding", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException("Generating sample documents failed", cause);
        }
    }

    /**
     * The secondary indexes the seeder creates on {@code collection} (none for most collections).
     */
    public static List<IndexModel> indexes(String collection) {
        switch (collection) {
            case CUSTOMERS:
                return List.of(
                        new IndexModel(
                                Indexes.ascending("email"),
                                new IndexOptions().name("email_unique").unique(true)),
                        new IndexModel(
                                Indexes.ascending("loyaltyId"),
                                new IndexOptions().name("loyaltyId_sparse").sparse(true)));
            case ORDERS:
                return List.of(
                        new IndexModel(
                                Indexes.compoundIndex(
                                        Indexes.ascending("customerId"),
                                        Indexes.descending("createdAt")),
                                new IndexOptions().name("customerId_createdAt")));
            case EVENTS:
                return List.of(
                        new IndexModel(
                                Indexes.compoundIndex(
                                        Indexes.ascending("type"), Indexes.descending("at")),
                                new IndexOptions().name("type_at")));
            default:
                return Collections.emptyList();
        }
    }

    /**
     * The documents {@link #seed} inserts into {@code collection} for {@code plan}, in insertion
     * order.
     */
    public static Iterator<Document> documents(String collection, SeedPlan plan) {
        checkNotNull(collection, "collection");
        checkNotNull(plan, "plan");
        return documents(collection, plan, plan.count(collection));
    }

    /**
     * {@code count} documents of {@code collection} generated from {@code seed} without a server:
     * the first {@code count} that {@link #seed} writes for a plan with that seed and the default
     * number of customers (orders reference those). Works for any collection name (unknown ones get
     * generic documents with string ids {@code "<collection>-<i>"}).
     */
    public static Iterator<Document> documents(String collection, long seed, int count) {
        checkNotNull(collection, "collection");
        return documents(collection, SeedPlan.defaults().withSeed(seed), count);
    }

    /** Document number {@code index} (0-based) of {@code collection} for {@code plan}. */
    public static Document document(String collection, SeedPlan plan, long index) {
        checkNotNull(collection, "collection");
        checkNotNull(plan, "plan");
        checkArgument(index >= 0, "index must be >= 0: %s", index);
        return SampleDocuments.document(collection, plan, index);
    }

    private static Iterator<Document> documents(String collection, SeedPlan plan, long count) {
        checkArgument(count >= 0, "count must be >= 0: %s", count);
        return new Iterator<>() {
            private long next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public Document next() {
                if (next >= count) {
                    throw new NoSuchElementException();
                }
                return SampleDocuments.document(collection, plan, next++);
            }
        };
    }
}
