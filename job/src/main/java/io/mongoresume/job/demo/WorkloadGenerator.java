package io.mongoresume.job.demo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.result.DeleteResult;
import com.mongodb.client.result.UpdateResult;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.apache.flink.util.Preconditions.checkState;

/**
 * Keeps a source database changing while a migration runs: on its own thread, at a target rate, a
 * deterministic (seeded) mix of {@link WorkloadOperation}s over the given collections.
 *
 * <p>Targets are both pre-existing documents, picked uniformly over the whole {@code _id} range (so
 * many changes hit documents a snapshot has not reached yet), and documents the generator inserted
 * itself. The existing {@code _id}s come from one {@code _id}-only scan per collection at {@link
 * #start()}; from then on the generator tracks its own inserts and deletes, so no operation needs a
 * query. Given the same seed and the same starting data, the sequence of operations and documents
 * is the same.
 *
 * <p>Each operation picks one of the collections uniformly (a 1-document collection gets as many
 * writes as a 200k one), then an operation by fixed weights (inserts 20%, $set 15%, $inc 12%,
 * $unset 8%, $push 10%, $pull 8%, replace 10%, delete 10%, delete-then-reinsert 7%); an empty
 * collection only gets inserts until it has documents. New {@code _id}s follow the collection's
 * ids: longs above the largest one, ObjectIds after the newest one, or — for mixed or empty
 * collections — ObjectId, long, string, UUID and embedded-document ids in turn.
 *
 * <p>Fields written: {@code note}, {@code updatedAt}, {@code version}, {@code tags} and {@code
 * lastWorkloadOp}; replaced and inserted documents have the shape of {@link SampleDataSeeder}'s
 * collections (generic documents for other collections). Collections whose documents hold a
 * non-array {@code tags} field make {@code $push} fail.
 *
 * <pre>{@code
 * WorkloadGenerator workload = WorkloadGenerator.builder()
 *         .uri(uri).database("shop").collections("customers", "orders", "events")
 *         .opsPerSecond(200).seed(7).build();
 * workload.start();
 * ...
 * WorkloadStats stats = workload.stop(); // rethrows a failure of the generator thread
 * }</pre>
 */
public final class WorkloadGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(WorkloadGenerator.class);

    public static final double DEFAULT_OPS_PER_SECOND = 200;
    public static final long DEFAULT_SEED = 42L;
    public static final int DEFAULT_ID_SAMPLE_LIMIT = 1_000_000;

    /** Weights of the operations, in {@link WorkloadOperation} order; they sum to 100. */
    private static final int[] WEIGHTS = {20, 15, 12, 8, 10, 8, 10, 10, 7};

    /** Share (1 in N) of updates/deletes aimed at the generator's own inserts when it has some. */
    static final int OWN_TARGET_ONE_IN = 3;

    /**
     * When the generator falls behind its schedule by more than this, it stops trying to catch up.
     */
    private static final long MAX_LAG_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** New long ids in mixed-id collections start here, far above the seeder's ids. */
    static final long MIXED_LONG_ID_BASE = 9_000_000_000_000_000L;

    private final String uri;
    private final String databaseName;
    private final List<String> collectionNames;
    private final double opsPerSecond;
    private final long seed;
    private final long maxOps;
    private final int idSampleLimit;

    private final AtomicLongArray counts = new AtomicLongArray(WorkloadOperation.values().length);
    private final AtomicLong misses = new AtomicLong();
    private final CountDownLatch stopSignal = new CountDownLatch(1);

    /** Built in start(), then only read; volatile so stats() on any thread sees them whole. */
    private volatile Map<String, Long> initialDocuments = Map.of();

    private volatile Map<String, AtomicLong> liveDocuments = Map.of();

    private volatile Throwable failure;
    private volatile boolean stopRequested;
    private volatile long startNanos;
    private volatile long stopNanos;
    @Nullable private MongoClient client;
    @Nullable private Thread thread;
    private List<WorkloadCollection> collections;
    private boolean stopped;

    WorkloadGenerator(WorkloadGeneratorBuilder builder) {
        this.uri = builder.uri;
        this.databaseName = builder.database;
        this.collectionNames = List.copyOf(builder.collections);
        this.opsPerSecond = builder.opsPerSecond;
        this.seed = builder.seed;
        this.maxOps = builder.maxOps;
        this.idSampleLimit = builder.idSampleLimit;
    }

    public static WorkloadGeneratorBuilder builder() {
        return new WorkloadGeneratorBuilder();
    }

    /**
     * Connects, scans the {@code _id}s of every collection once, then starts the generator thread.
     * Returns when operations begin; a failure during the scan is thrown here.
     */
    public synchronized void start() {
        checkState(thread == null, "already started");
        client = MongoClients.create(uri);
        try {
            MongoDatabase database = client.getDatabase(databaseName);
            List<WorkloadCollection> states = new ArrayList<>();
            Map<String, Long> initial = new LinkedHashMap<>();
            Map<String, AtomicLong> live = new LinkedHashMap<>();
            for (String name : collectionNames) {
                WorkloadCollection state =
                        new WorkloadCollection(name, database.getCollection(name), seed);
                state.loadIds(idSampleLimit);
                states.add(state);
                initial.put(name, state.initialCount);
                live.put(name, new AtomicLong(state.initialCount));
            }
            collections = states;
            initialDocuments = initial;
            liveDocuments = live;
        } catch (RuntimeException e) {
            client.close();
            client = null;
            throw e;
        }
        startNanos = System.nanoTime();
        thread = new Thread(this::run, "workload-generator-" + databaseName);
        thread.setDaemon(true);
        thread.start();
        LOG.info(
                "Workload generator started on {}.{} at {} ops/s (seed {}, maxOps {}), documents: {}",
                databaseName,
                collectionNames,
                opsPerSecond == 0 ? "max" : opsPerSecond,
                seed,
                maxOps == 0 ? "unbounded" : maxOps,
                initialDocuments);
    }

    /**
     * Stops the generator (after the operation in flight), waits for its thread, closes the client
     * and returns the final stats. Idempotent.
     *
     * @throws IllegalStateException wrapping the error that ended the generator thread, if any
     */
    public synchronized WorkloadStats stop() {
        checkState(thread != null, "not started");
        if (!stopped) {
            stopRequested = true;
            stopSignal.countDown();
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            client.close();
            stopped = true;
            LOG.info("Workload generator stopped: {}", stats());
        }
        if (failure != null) {
            throw new IllegalStateException(
                    "Workload generator failed after " + stats().totalOperations() + " operations",
                    failure);
        }
        return stats();
    }

    /** Waits until the generator ends by itself ({@code maxOps} reached, or a failure). */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        checkState(thread != null, "not started");
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    public boolean isRunning() {
        return thread != null && thread.isAlive();
    }

    /** The error that ended the generator thread, if any (also rethrown by {@link #stop()}). */
    @Nullable
    public Throwable failure() {
        return failure;
    }

    /** What has happened so far; safe to call from any thread while running. */
    public WorkloadStats stats() {
        Map<WorkloadOperation, Long> byOp = new EnumMap<>(WorkloadOperation.class);
        for (WorkloadOperation op : WorkloadOperation.values()) {
            byOp.put(op, counts.get(op.ordinal()));
        }
        Map<String, Long> live = new LinkedHashMap<>();
        liveDocuments.forEach((name, count) -> live.put(name, count.get()));
        long end = stopNanos != 0 ? stopNanos : System.nanoTime();
        Duration elapsed = startNanos == 0 ? Duration.ZERO : Duration.ofNanos(end - startNanos);
        return new WorkloadStats(byOp, initialDocuments, live, misses.get(), elapsed);
    }

    /**
     * The {@code _id}s the generator believes exist in {@code collection} (all of them when the
     * collection had at most {@code idSampleLimit} documents). Only after {@link #stop()}.
     */
    public synchronized List<BsonValue> liveIds(String collection) {
        checkState(stopped, "only available after stop()");
        for (WorkloadCollection state : collections) {
            if (state.name.equals(collection)) {
                List<BsonValue> ids = new ArrayList<>(state.existing.values);
                ids.addAll(state.own.values);
                return ids;
            }
        }
        throw new IllegalArgumentException("not a workload collection: " + collection);
    }

    private void run() {
        SplittableRandom rnd = new SplittableRandom(seed);
        long intervalNanos = opsPerSecond == 0 ? 0 : (long) (1_000_000_000L / opsPerSecond);
        long next = System.nanoTime();
        long done = 0;
        try {
            while (!stopRequested && (maxOps == 0 || done < maxOps)) {
                if (intervalNanos > 0) {
                    long now = System.nanoTime();
                    if (next - now > 0 && stopSignal.await(next - now, TimeUnit.NANOSECONDS)) {
                        break;
                    }
                    next += intervalNanos;
                    if (now - next > MAX_LAG_NANOS) {
                        next = now;
                    }
                }
                WorkloadCollection target = collections.get(rnd.nextInt(collections.size()));
                WorkloadOperation op = pickOperation(rnd, target);
                perform(op, target, rnd, done);
                counts.incrementAndGet(op.ordinal());
                done++;
            }
        } catch (Throwable t) {
            failure = t;
            LOG.error("Workload generator failed after {} operations", done, t);
        } finally {
            stopNanos = System.nanoTime();
        }
    }

    private static WorkloadOperation pickOperation(
            SplittableRandom rnd, WorkloadCollection target) {
        if (target.liveCount() == 0) {
            return WorkloadOperation.INSERT;
        }
        int roll = rnd.nextInt(100);
        WorkloadOperation[] ops = WorkloadOperation.values();
        for (int i = 0; i < ops.length; i++) {
            roll -= WEIGHTS[i];
            if (roll < 0) {
                return ops[i];
            }
        }
        return WorkloadOperation.INSERT;
    }

    private void perform(
            WorkloadOperation op, WorkloadCollection target, SplittableRandom rnd, long opIndex) {
        MongoCollection<Document> collection = target.collection;
        if (op == WorkloadOperation.INSERT) {
            BsonValue id = target.newId(rnd);
            collection.insertOne(target.newDocument(id, rnd, opIndex));
            target.own.add(id);
            liveDocuments.get(target.name).incrementAndGet();
            return;
        }
        IdPool pool = target.pickPool(rnd);
        int position = rnd.nextInt(pool.size());
        BsonValue id = pool.get(position);
        Bson byId = new BsonDocument("_id", id);
        switch (op) {
            case SET:
                update(
                        collection,
                        byId,
                        new Document(
                                "$set",
                                new Document("note", SampleVocabulary.words(rnd, 2, 8))
                                        .append("updatedAt", SampleDocuments.date(rnd, 800))
                                        .append("lastWorkloadOp", opIndex)));
                break;
            case INC:
                update(collection, byId, new Document("$inc", new Document("version", 1)));
                break;
            case UNSET:
                update(collection, byId, new Document("$unset", new Document("note", "")));
                break;
            case PUSH:
                update(
                        collection,
                        byId,
                        new Document("$push", new Document("tags", SampleVocabulary.pickTag(rnd))));
                break;
            case PULL:
                update(
                        collection,
                        byId,
                        new Document("$pull", new Document("tags", SampleVocabulary.pickTag(rnd))));
                break;
            case REPLACE:
                UpdateResult replaced =
                        collection.replaceOne(byId, target.newDocument(id, rnd, opIndex));
                countMiss(replaced.getMatchedCount());
                break;
            case DELETE:
                DeleteResult deleted = collection.deleteOne(byId);
                countMiss(deleted.getDeletedCount());
                pool.remove(position);
                liveDocuments.get(target.name).decrementAndGet();
                break;
            case DELETE_REINSERT:
                countMiss(collection.deleteOne(byId).getDeletedCount());
                collection.insertOne(target.newDocument(id, rnd, opIndex));
                break;
            default:
                throw new IllegalStateException("unhandled operation " + op);
        }
    }

    private void update(MongoCollection<Document> collection, Bson byId, Bson update) {
        countMiss(collection.updateOne(byId, update).getMatchedCount());
    }

    private void countMiss(long affected) {
        if (affected != 1) {
            misses.incrementAndGet();
        }
    }
}
