package io.mongoresume.job.demo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.mongoresume.connectors.testutils.MongoServerExtension;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.job.testutils.TestData;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The workload generator against a seeded database: every op type, invariants, rate, determinism,
 * errors.
 */
class WorkloadGeneratorITCase {

    private static final SeedPlan PLAN = SeedPlan.defaults().scale(0.01); // 200 / 2000 / 200
    private static final List<String> COLLECTIONS = TestData.SAMPLE_COLLECTIONS;

    @RegisterExtension
    static final MongoServerExtension SERVER = new MongoServerExtension(MongoTestServer::source);

    @Test
    void performsEveryOperationAndCountsMatchTheDatabase() throws Exception {
        MongoDatabase db = seededDatabase();
        WorkloadGenerator workload = generator(db, 11L, 0, 1500);

        workload.start();
        assertThat(workload.awaitTermination(Duration.ofSeconds(20))).isTrue();
        WorkloadStats stats = workload.stop();

        assertThat(stats.totalOperations()).isEqualTo(1500);
        assertThat(stats.counts().values()).allSatisfy(count -> assertThat(count).isPositive());
        assertThat(stats.misses()).isZero();
        long initial = 0;
        long live = 0;
        for (String name : COLLECTIONS) {
            MongoCollection<BsonDocument> collection = db.getCollection(name, BsonDocument.class);
            assertThat(collection.countDocuments()).as(name).isEqualTo(stats.liveDocuments(name));
            assertThat(stats.initialDocuments(name)).isEqualTo(PLAN.count(name));
            Set<BsonValue> stored = new HashSet<>();
            collection.find().forEach(doc -> stored.add(doc.get("_id")));
            assertThat(stored).as(name).isEqualTo(new HashSet<>(workload.liveIds(name)));
            initial += stats.initialDocuments(name);
            live += stats.liveDocuments(name);
        }
        // Delete-then-reinsert keeps the count; plain inserts and deletes change it.
        assertThat(live)
                .isEqualTo(
                        initial
                                + stats.count(WorkloadOperation.INSERT)
                                - stats.count(WorkloadOperation.DELETE));
        // The empty collection got documents with several _id types.
        Set<String> idTypes = new HashSet<>();
        db.getCollection(SampleDataSeeder.EMPTY_COLLECTION, BsonDocument.class)
                .find()
                .forEach(doc -> idTypes.add(doc.get("_id").getBsonType().name()));
        assertThat(idTypes).hasSizeGreaterThanOrEqualTo(4);
        // Stop is idempotent.
        assertThat(workload.stop().totalOperations()).isEqualTo(1500);
    }

    @Test
    void sameSeedSameDataGivesSameResult() throws Exception {
        MongoDatabase first = seededDatabase();
        MongoDatabase second = seededDatabase();
        for (MongoDatabase db : List.of(first, second)) {
            WorkloadGenerator workload = generator(db, 5L, 0, 400);
            workload.start();
            assertThat(workload.awaitTermination(Duration.ofSeconds(20))).isTrue();
            workload.stop();
        }
        for (String name : COLLECTIONS) {
            assertThat(contents(second, name)).as(name).isEqualTo(contents(first, name));
        }
    }

    @Test
    void keepsTheTargetRateAndStopsPromptly() throws Exception {
        MongoDatabase db = seededDatabase();
        WorkloadGenerator workload = generator(db, 3L, 100, 0);
        workload.start();
        Thread.sleep(1500);
        assertThat(workload.isRunning()).isTrue();
        long before = System.nanoTime();
        WorkloadStats stats = workload.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
        assertThat(workload.isRunning()).isFalse();
        // ~150 at 100 ops/s over 1.5 s; generous bounds for a busy 2-core machine.
        assertThat(stats.totalOperations()).isBetween(60L, 200L);
        assertThat(stats.misses()).isZero();
    }

    @Test
    void failureOnTheGeneratorThreadIsRethrownByStop() throws Exception {
        MongoDatabase db = SERVER.client().getDatabase(MongoTestServer.freshDatabaseName("wl"));
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            docs.add(new Document("_id", "s" + i).append("tags", "not-an-array"));
        }
        db.getCollection("odd").insertMany(docs);
        WorkloadGenerator workload =
                WorkloadGenerator.builder()
                        .uri(SERVER.server().uri())
                        .database(db.getName())
                        .collections("odd")
                        .opsPerSecond(0)
                        .maxOps(5000)
                        .build();
        workload.start();
        assertThat(workload.awaitTermination(Duration.ofSeconds(20))).isTrue();
        assertThat(workload.failure()).isNotNull();
        assertThatThrownBy(workload::stop)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Workload generator failed")
                .hasCauseInstanceOf(RuntimeException.class);
    }

    @Test
    void builderChecksItsInputs() {
        assertThatThrownBy(() -> WorkloadGenerator.builder().database("d").collections("c").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WorkloadGenerator.builder().opsPerSecond(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> WorkloadGenerator.builder().uri("mongodb://x").database("d").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static WorkloadGenerator generator(
            MongoDatabase db, long seed, double rate, long maxOps) {
        return WorkloadGenerator.builder()
                .uri(SERVER.server().uri())
                .database(db.getName())
                .collections(COLLECTIONS)
                .opsPerSecond(rate)
                .seed(seed)
                .maxOps(maxOps)
                .build();
    }

    private static MongoDatabase seededDatabase() {
        MongoDatabase db = SERVER.client().getDatabase(MongoTestServer.freshDatabaseName("wl"));
        SampleDataSeeder.seed(db, PLAN, line -> {});
        return db;
    }

    private static List<BsonDocument> contents(MongoDatabase db, String name) {
        List<BsonDocument> docs = new ArrayList<>();
        db.getCollection(name, BsonDocument.class).find().forEach(docs::add);
        docs.sort((a, b) -> a.get("_id").toString().compareTo(b.get("_id").toString()));
        return docs;
    }
}
