package io.mongoresume.job.demo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.result.DeleteResult;
import com.mongodb.client.result.UpdateResult;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;
import static org.apache.flink.util.Preconditions.checkState;

/**
 * Keeps a source database changing while a migration runs: on its own thread, at a target rate, a
 * deterministic (seeded) mix of {@link WorkloadOperation}s over the given collections.
 *
 * <p>Targets are both pre-existing documents, picked uniformly over the whole {@code _id} range (so many
 * changes hit documents a snapshot has not reached yet), and documents the generator inserted itself.
 * The existing {@code _id}s come from one {@code _id}-only scan per collection at {@link #start()}; from
 * then on the generator tracks its own inserts and deletes, so no operation needs a query. Given the same
 * seed and the same starting data, the sequence of operations and documents is the same.
 *
 * <p>Each operation picks one of the collections uniformly (a 1-document collection gets as many writes
 * as a 200k one), then an operation by fixed weights (inserts 20%, $set 15%, $inc 12%, $unset 8%,
 * $push 10%, $pull 8%, replace 10%, delete 10%, delete-then-reinsert 7%); an empty collection only gets
 * inserts until it has documents. New {@code _id}s follow the collection's ids: longs above the largest
 * one, ObjectIds after the newest one, or — for mixed or empty collections — ObjectId, long, string,
 * UUID and embedded-document ids in turn.
 *
 * <p>Fields written: {@code note}, {@code updatedAt}, {@code version}, {@code tags} and
 * {@code lastWorkloadOp}; replaced and inserted documents have the shape of {@link SampleDataSeeder}'s
 * collections (generic documents for other collections). Collections whose documents hold a non-array
 * {@code tags} field make {@code $push} fail.
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
    private static final int OWN_TARGET_ONE_IN = 3;

    /** When the generator falls behind its schedule by more than this, it stops trying to catch up. */
    private static final long MAX_LAG_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** New long ids in mixed-id collections start here, far above the seeder's ids. */
    private static final long MIXED_LONG_ID_BASE = 9_000_000_000_000_000L;

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
    private List<CollectionState> collections;
    private boolean stopped;

    private WorkloadGenerator(Builder builder) {
        this.uri = builder.uri;
        this.databaseName = builder.database;
        this.collectionNames = List.copyOf(builder.collections);
        this.opsPerSecond = builder.opsPerSecond;
        this.seed = builder.seed;
        this.maxOps = builder.maxOps;
        this.idSampleLimit = builder.idSampleLimit;
    }

    public static Builder builder() {
        return new Builder();
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
            List<CollectionState> states = new ArrayList<>();
            Map<String, Long> initial = new LinkedHashMap<>();
            Map<String, AtomicLong> live = new LinkedHashMap<>();
            for (String name : collectionNames) {
                CollectionState state = new CollectionState(name, database.getCollection(name));
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
     * Stops the generator (after the operation in flight), waits for its thread, closes the client and
     * returns the final stats. Idempotent.
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
        for (CollectionState state : collections) {
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
                CollectionState target = collections.get(rnd.nextInt(collections.size()));
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

    private static WorkloadOperation pickOperation(SplittableRandom rnd, CollectionState target) {
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

    private void perform(WorkloadOperation op, CollectionState target, SplittableRandom rnd, long opIndex) {
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
                update(collection, byId, new Document("$set", new Document("note", SampleDocuments.words(rnd, 2, 8))
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
                update(collection, byId, new Document("$push", new Document("tags", SampleDocuments.pickTag(rnd))));
                break;
            case PULL:
                update(collection, byId, new Document("$pull", new Document("tags", SampleDocuments.pickTag(rnd))));
                break;
            case REPLACE:
                UpdateResult replaced = collection.replaceOne(byId, target.newDocument(id, rnd, opIndex));
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

    /** How new {@code _id}s look in a collection: like the ones already there. */
    private enum IdStyle {
        LONG,
        OBJECT_ID,
        MIXED
    }

    /** Per-collection state; touched only by the generator thread after {@link #start()}. */
    private final class CollectionState {
        final String name;
        final MongoCollection<Document> collection;
        final IdPool existing = new IdPool();
        final IdPool own = new IdPool();
        long initialCount;
        IdStyle style = IdStyle.MIXED;
        long nextLong;
        int nextObjectIdSeconds;
        long newIds;

        CollectionState(String name, MongoCollection<Document> collection) {
            this.name = name;
            this.collection = collection;
        }

        /** One ordered {@code _id}-only scan; keeps every k-th id beyond {@code limit}. */
        void loadIds(int limit) {
            long total = collection.countDocuments();
            long stride = Math.max(1, (total + limit - 1) / limit);
            boolean allLong = true;
            boolean allObjectId = true;
            long maxLong = 0;
            int maxSeconds = (int) SampleDocuments.BASE_EPOCH_SECONDS;
            long seen = 0;
            try (MongoCursor<BsonDocument> cursor = collection
                    .withDocumentClass(BsonDocument.class)
                    .find()
                    .projection(Projections.include("_id"))
                    .sort(Sorts.ascending("_id"))
                    .batchSize(10_000)
                    .iterator()) {
                while (cursor.hasNext()) {
                    BsonValue id = cursor.next().get("_id");
                    BsonType type = id.getBsonType();
                    allLong &= type == BsonType.INT64 || type == BsonType.INT32;
                    allObjectId &= type == BsonType.OBJECT_ID;
                    if (type == BsonType.INT64 || type == BsonType.INT32) {
                        maxLong = Math.max(maxLong, id.asNumber().longValue());
                    } else if (type == BsonType.OBJECT_ID) {
                        maxSeconds = Math.max(maxSeconds, id.asObjectId().getValue().getTimestamp());
                    }
                    if (seen++ % stride == 0) {
                        existing.add(id);
                    }
                }
            }
            initialCount = seen;
            if (seen > 0 && allLong) {
                style = IdStyle.LONG;
            } else if (seen > 0 && allObjectId) {
                style = IdStyle.OBJECT_ID;
            }
            nextLong = maxLong + 1;
            nextObjectIdSeconds = maxSeconds + 1;
        }

        long liveCount() {
            return existing.size() + own.size();
        }

        IdPool pickPool(SplittableRandom rnd) {
            if (own.size() > 0 && (existing.size() == 0 || rnd.nextInt(OWN_TARGET_ONE_IN) == 0)) {
                return own;
            }
            return existing;
        }

        /** A fresh {@code _id} in the collection's style, not one the generator knows to exist. */
        BsonValue newId(SplittableRandom rnd) {
            while (true) {
                BsonValue candidate = candidateId(rnd, newIds++);
                if (!existing.contains(candidate) && !own.contains(candidate)) {
                    return candidate;
                }
            }
        }

        private BsonValue candidateId(SplittableRandom rnd, long n) {
            switch (style) {
                case LONG:
                    return new BsonInt64(nextLong++);
                case OBJECT_ID:
                    return new BsonObjectId(objectId(nextObjectIdSeconds, n));
                default:
                    switch ((int) (n % 5)) {
                        case 0:
                            return new BsonObjectId(objectId(nextObjectIdSeconds, n));
                        case 1:
                            return new BsonInt64(MIXED_LONG_ID_BASE + n);
                        case 2:
                            return new BsonString("wl-" + seed + "-" + n);
                        case 3:
                            return new BsonBinary(new UUID(
                                    (rnd.nextLong() & ~0xF000L) | 0x4000L,
                                    (rnd.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L));
                        default:
                            return new BsonDocument("wl", new BsonInt64(seed)).append("n", new BsonInt32((int) n));
                    }
            }
        }

        /** ObjectIds after every existing one: timestamp above the max seen, seed and counter after. */
        private ObjectId objectId(int seconds, long n) {
            ByteBuffer bytes = ByteBuffer.allocate(12);
            bytes.putInt(seconds + (int) (n >>> 32));
            bytes.putInt((int) seed);
            bytes.putInt((int) n);
            return new ObjectId(bytes.array());
        }

        Document newDocument(BsonValue id, SplittableRandom rnd, long opIndex) {
            Document doc = new Document("_id", id);
            doc.putAll(SampleDocuments.body(name, rnd, opIndex, SeedPlan.defaults().withSeed(seed)));
            if (doc.containsKey("email")) {
                // Unique per _id, so inserts and replacements never clash on the unique email index.
                doc.put("email", "wl-" + idToken(id, opIndex) + "@example.com");
            }
            doc.put("lastWorkloadOp", opIndex);
            return doc;
        }

        private String idToken(BsonValue id, long opIndex) {
            if (id.isObjectId()) {
                return id.asObjectId().getValue().toHexString();
            }
            return seed + "-op" + opIndex;
        }
    }

    /** A list of ids with O(1) add, contains and remove-at (swap with last). */
    private static final class IdPool {
        final List<BsonValue> values = new ArrayList<>();
        final Map<BsonValue, Integer> positions = new HashMap<>();

        void add(BsonValue id) {
            positions.put(id, values.size());
            values.add(id);
        }

        boolean contains(BsonValue id) {
            return positions.containsKey(id);
        }

        int size() {
            return values.size();
        }

        BsonValue get(int position) {
            return values.get(position);
        }

        void remove(int position) {
            BsonValue removed = values.get(position);
            BsonValue last = values.remove(values.size() - 1);
            positions.remove(removed);
            if (position < values.size()) {
                values.set(position, last);
                positions.put(last, position);
            }
        }
    }

    /** Builder of {@link WorkloadGenerator}; {@code uri}, {@code database}, {@code collections} required. */
    public static final class Builder {
        private String uri;
        private String database;
        private List<String> collections = List.of();
        private double opsPerSecond = DEFAULT_OPS_PER_SECOND;
        private long seed = DEFAULT_SEED;
        private long maxOps;
        private int idSampleLimit = DEFAULT_ID_SAMPLE_LIMIT;

        private Builder() {}

        /** Connection string of the source (never logged). */
        public Builder uri(String uri) {
            this.uri = checkNotNull(uri, "uri");
            return this;
        }

        public Builder database(String database) {
            this.database = checkNotNull(database, "database");
            return this;
        }

        public Builder collections(String... collections) {
            return collections(List.of(collections));
        }

        public Builder collections(List<String> collections) {
            this.collections = List.copyOf(checkNotNull(collections, "collections"));
            return this;
        }

        /** Target rate; 0 = as fast as possible. Default {@value #DEFAULT_OPS_PER_SECOND}. */
        public Builder opsPerSecond(double opsPerSecond) {
            checkArgument(opsPerSecond >= 0 && Double.isFinite(opsPerSecond),
                    "opsPerSecond must be >= 0: %s", opsPerSecond);
            this.opsPerSecond = opsPerSecond;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Stop by itself after this many operations; 0 (default) = until {@link #stop()}. */
        public Builder maxOps(long maxOps) {
            checkArgument(maxOps >= 0, "maxOps must be >= 0: %s", maxOps);
            this.maxOps = maxOps;
            return this;
        }

        /** At most this many existing ids kept per collection (evenly spread over the range). */
        public Builder idSampleLimit(int idSampleLimit) {
            checkArgument(idSampleLimit > 0, "idSampleLimit must be > 0: %s", idSampleLimit);
            this.idSampleLimit = idSampleLimit;
            return this;
        }

        public WorkloadGenerator build() {
            checkArgument(uri != null, "uri is required");
            checkArgument(database != null, "database is required");
            checkArgument(!collections.isEmpty(), "at least one collection is required");
            return new WorkloadGenerator(this);
        }
    }
}
