package io.mongoresume.connectors.snapshot;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.mongoresume.connectors.common.CollectionPreparer;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.common.selection.NamespacePattern;
import io.mongoresume.connectors.event.EventKind;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.snapshot.enumerator.partition.PartitionStrategy;
import io.mongoresume.connectors.testutils.MiniClusters;
import io.mongoresume.connectors.testutils.MongoServerExtension;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.connectors.testutils.TestEnvironments;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Both partition strategies read every document of every collection exactly once and bit-exact:
 * mixed {@code _id} types (with paging inside every bracket), empty and single-document
 * collections, a document near the 16 MB limit and a 20k-document collection cut into several
 * splits.
 */
class MongoSnapshotSourceITCase {

    private static final int PARALLELISM = 2;

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            MiniClusters.withMetrics(REPORTER, 1, PARALLELISM);

    /** Emitted events per run; static so the map function in the job can reach it. */
    static final Map<String, Queue<MigrationEvent>> EMITTED = new ConcurrentHashMap<>();

    static final Map<String, Queue<String>> PREPARED = new ConcurrentHashMap<>();

    @RegisterExtension
    static final MongoServerExtension SERVER = new MongoServerExtension(MongoTestServer::source);

    private static String database;
    private static final Map<String, Map<String, byte[]>> expected = new HashMap<>();

    @BeforeAll
    static void createData() {
        database = MongoTestServer.freshDatabaseName("snapshot_it");
        MongoDatabase db = SERVER.client().getDatabase(database);

        MongoCollection<BsonDocument> mixed = db.getCollection("mixed", BsonDocument.class);
        SnapshotTestData.insertAll(mixed, SnapshotTestData.mixedIds(600));

        db.createCollection("empty");

        db.getCollection("single", BsonDocument.class)
                .insertOne(SnapshotTestData.document(new BsonString("only"), 1));

        char[] big = new char[15_500_000];
        Arrays.fill(big, 'x');
        db.getCollection("big", BsonDocument.class)
                .insertOne(
                        new BsonDocument("_id", new BsonObjectId())
                                .append("payload", new BsonString(new String(big))));

        List<BsonValue> many = new ArrayList<>();
        IntStream.range(0, 20_000).forEach(i -> many.add(new BsonInt32(i * 3)));
        SnapshotTestData.insertAll(db.getCollection("many", BsonDocument.class), many);

        List<BsonValue> special =
                List.of(
                        new BsonDouble(Double.NaN),
                        new BsonDouble(Double.NEGATIVE_INFINITY),
                        new BsonDouble(Double.POSITIVE_INFINITY),
                        new BsonInt32(-5),
                        new BsonDouble(1e300));
        SnapshotTestData.insertAll(db.getCollection("special", BsonDocument.class), special);

        for (String name : List.of("mixed", "empty", "single", "big", "many", "special")) {
            expected.put(
                    name,
                    SnapshotTestData.sourceDocuments(db.getCollection(name, BsonDocument.class)));
        }
    }

    @AfterAll
    static void close() {
        SERVER.client().getDatabase(database).drop();
    }

    @ParameterizedTest
    @EnumSource(PartitionStrategy.class)
    void readsEveryDocumentExactlyOnceAndBitExact(PartitionStrategy strategy) throws Exception {
        String run = strategy.name();
        MongoSnapshotSource source =
                sourceOnTheServer()
                        .collectionRegex(".*")
                        .partitionStrategy(strategy)
                        .partitionSize(2_500)
                        .partitionCount(6)
                        .batchReadLimit(700)
                        .fetchSize(100)
                        .collectionPreparer(new RecordingPreparer(run))
                        .build();

        JobID job = runToEnd(source, run);

        Queue<MigrationEvent> events = EMITTED.get(run);
        Map<String, byte[]> seen = new HashMap<>();
        for (MigrationEvent event : events) {
            assertThat(event.kind()).isEqualTo(EventKind.SNAPSHOT_ROW);
            assertThat(event.database()).isEqualTo(database);
            byte[] previous = seen.put(event.key(), event.documentBytes());
            assertThat(previous).as("duplicate %s", event).isNull();
        }
        Map<String, byte[]> all = new HashMap<>();
        expected.values().forEach(all::putAll);
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(all.keySet());
        for (Map.Entry<String, byte[]> e : all.entrySet()) {
            assertThat(seen.get(e.getKey())).as("bytes of %s", e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(PREPARED.get(run))
                .containsExactly("big", "empty", "many", "mixed", "single", "special");

        for (Map.Entry<String, Map<String, byte[]>> e : expected.entrySet()) {
            String ns = database + "." + e.getKey();
            long documents = e.getValue().size();
            assertThat(readerCounter(job, ns, "documentsRead"))
                    .as("documentsRead %s", ns)
                    .isEqualTo(documents);
            assertThat(readerCounter(job, ns, "documentsEmitted"))
                    .as("documentsEmitted %s", ns)
                    .isEqualTo(documents);
            assertThat(readerCounter(job, ns, "documentsRefetched")).isZero();
            if (documents > 0) {
                assertThat(enumeratorGauge(job, "collection." + ns + ".estimatedDocuments"))
                        .isEqualTo(documents);
            }
            assertThat(enumeratorGauge(job, "collection." + ns + ".splitsFinished"))
                    .isEqualTo(enumeratorGauge(job, "collection." + ns + ".splitsTotal"));
        }
        assertThat(enumeratorGauge(job, "collection." + database + ".many.splitsTotal"))
                .isGreaterThan(4);
        assertThat(enumeratorGauge(job, "collection." + database + ".empty.splitsTotal")).isZero();
        assertThat(enumeratorGauge(job, "collectionsTotal")).isEqualTo(6);
        assertThat(enumeratorGauge(job, "collectionsFinished")).isEqualTo(6);
        assertThat(enumeratorGauge(job, "splitsFinished"))
                .isEqualTo(enumeratorGauge(job, "splitsTotal"));
    }

    /**
     * A reader counter summed over the subtasks; metric groups look like {@code
     * ...collection.<ns>.<name>}.
     */
    private static long readerCounter(JobID job, String namespace, String name) {
        long sum = 0;
        for (Map.Entry<String, Metric> e : REPORTER.findMetrics(job, name).entrySet()) {
            if (e.getKey().endsWith(".collection." + namespace + "." + name)) {
                sum += ((Counter) e.getValue()).getCount();
            }
        }
        return sum;
    }

    private static long enumeratorGauge(JobID job, String path) {
        String suffix = ".enumerator." + path;
        String name = path.substring(path.lastIndexOf('.') + 1);
        Metric metric =
                REPORTER.findMetrics(job, name).entrySet().stream()
                        .filter(e -> e.getKey().endsWith(suffix))
                        .map(Map.Entry::getValue)
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no enumerator metric " + path));
        return ((Number) ((Gauge<?>) metric).getValue()).longValue();
    }

    @Test
    void readsTheSelectedCollectionsOfSeveralDatabases() throws Exception {
        String other = database + "_other";
        MongoDatabase otherDb = SERVER.client().getDatabase(other);
        List<BsonValue> ids = new ArrayList<>();
        IntStream.range(0, 50).forEach(i -> ids.add(new BsonInt32(i)));
        SnapshotTestData.insertAll(otherDb.getCollection("orders", BsonDocument.class), ids);
        SnapshotTestData.insertAll(
                otherDb.getCollection("skipped", BsonDocument.class), ids.subList(0, 5));
        try {
            MongoSnapshotSource source =
                    MongoSnapshotSource.builder()
                            .connection(MongoConnectionOptions.of(SERVER.server().uri(), 10_000))
                            .selection(
                                    CollectionSelection.namespaces(
                                            List.of(
                                                    NamespacePattern.parse(
                                                            database + ".single", "test"),
                                                    NamespacePattern.parse(other + ".*", "test")),
                                            List.of(
                                                    NamespacePattern.parse(
                                                            other + ".skipped", "test"))))
                            .partitionSize(20)
                            .collectionPreparer(new RecordingPreparer("databases"))
                            .build();

            JobID job = runToEnd(source, "databases");

            Map<String, Integer> rows = new HashMap<>();
            for (MigrationEvent event : EMITTED.get("databases")) {
                assertThat(event.kind()).isEqualTo(EventKind.SNAPSHOT_ROW);
                rows.merge(event.namespace(), 1, Integer::sum);
            }
            assertThat(rows).isEqualTo(Map.of(database + ".single", 1, other + ".orders", 50));
            assertThat(PREPARED.get("databases"))
                    .containsExactly(database + ".single", other + ".orders");
            assertThat(readerCounter(job, other + ".orders", "documentsRead")).isEqualTo(50);
            assertThat(enumeratorGauge(job, "collection." + other + ".orders.splitsTotal"))
                    .isGreaterThan(1);
            assertThat(enumeratorGauge(job, "collectionsFinished")).isEqualTo(2);
        } finally {
            otherDb.drop();
        }
    }

    @Test
    void unknownCollectionFailsWithTheExistingOnes() {
        MongoSnapshotSource source =
                sourceOnTheServer().collections(List.of("many", "nope")).build();
        assertThatThrownBy(() -> runToEnd(source, "unknown"))
                .hasStackTraceContaining("does not have: [nope]")
                .hasStackTraceContaining("It has: big, empty, many, mixed, single, special");
    }

    @Test
    void regexMatchingNothingFails() {
        MongoSnapshotSource source = sourceOnTheServer().collectionRegex("orders_.*").build();
        assertThatThrownBy(() -> runToEnd(source, "regex"))
                .hasStackTraceContaining("'orders_.*' matches no collection");
    }

    /** A snapshot source of the seeded database. */
    private static MongoSnapshotSourceBuilder sourceOnTheServer() {
        return MongoSnapshotSource.builder()
                .connection(MongoConnectionOptions.of(SERVER.server().uri(), 10_000))
                .database(database);
    }

    private static JobID runToEnd(MongoSnapshotSource source, String run) throws Exception {
        EMITTED.put(run, new ConcurrentLinkedQueue<>());
        StreamExecutionEnvironment env = TestEnvironments.withoutGenericTypes(PARALLELISM);
        env.enableCheckpointing(200);
        env.setRestartStrategy(
                org.apache.flink.api.common.restartstrategy.RestartStrategies.noRestart());
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "snapshot")
                .map(new Recorder(run))
                .sinkTo(new DiscardingSink<>());
        return env.execute("snapshot-" + run).getJobID();
    }

    /** Adds each event to {@link #EMITTED} of its run. */
    static final class Recorder
            implements org.apache.flink.api.common.functions.MapFunction<
                    MigrationEvent, MigrationEvent> {
        private final String run;

        Recorder(String run) {
            this.run = run;
        }

        @Override
        public MigrationEvent map(MigrationEvent event) {
            EMITTED.get(run).add(event);
            return event;
        }
    }

    /** Records the order of prepared collections per run. */
    static final class RecordingPreparer implements CollectionPreparer {
        private final String run;

        RecordingPreparer(String run) {
            this.run = run;
        }

        /** Collection names, or namespaces for a selection across databases. */
        @Override
        public void prepare(String database, String collection) {
            PREPARED.computeIfAbsent(run, r -> new ConcurrentLinkedQueue<>())
                    .add(run.equals("databases") ? database + "." + collection : collection);
        }
    }
}
