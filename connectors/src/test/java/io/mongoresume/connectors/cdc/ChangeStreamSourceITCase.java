package io.mongoresume.connectors.cdc;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.SinkFunction;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.mongoresume.connectors.cdc.offset.ClusterTimeCapture;
import io.mongoresume.connectors.cdc.offset.StartPosition;
import io.mongoresume.connectors.cdc.reader.ChangeStreamPositionLostException;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.common.selection.NamespacePattern;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.testutils.MiniClusters;
import io.mongoresume.connectors.testutils.MongoServerExtension;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.connectors.testutils.Pause;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The change-stream source on a MiniCluster against {@link MongoTestServer#source()}. */
class ChangeStreamSourceITCase {

    private static final int PARALLELISM = 2;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.of(1, PARALLELISM);

    /**
     * What the sink saw, in arrival order (per collection this is source order: one split, one
     * reader).
     */
    private static final ConcurrentLinkedQueue<MigrationEvent> EVENTS =
            new ConcurrentLinkedQueue<>();

    /** The sink's current watermark when it received the latest event. */
    private static final AtomicLong WATERMARK = new AtomicLong(Long.MIN_VALUE);

    @RegisterExtension
    static final MongoServerExtension SERVER = new MongoServerExtension(MongoTestServer::source);

    private static MongoConnectionOptions connection;

    private String dbName;
    private MongoDatabase db;

    @BeforeAll
    static void startServer() {
        connection = MongoConnectionOptions.of(SERVER.server().uri(), 10_000);
    }

    @BeforeEach
    void freshDatabase() {
        EVENTS.clear();
        WATERMARK.set(Long.MIN_VALUE);
        dbName = MongoTestServer.freshDatabaseName("cdc");
        db = SERVER.client().getDatabase(dbName);
    }

    /**
     * A test that fails mid-way leaves its job running; cancelled here so that it does not hold the
     * cluster's slots and starve the next test's job.
     */
    @AfterEach
    void cancelLeftoverJobs(@InjectClusterClient ClusterClient<?> client) throws Exception {
        for (var job : client.listJobs().get()) {
            if (!job.getJobState().isGloballyTerminalState()) {
                cancel(client, job.getJobId());
            }
        }
    }

    @Test
    void capturedStartSeesEarlierWritesAndChangesArriveInOrderWithFullDocuments(
            @InjectClusterClient ClusterClient<?> client) throws Exception {
        StartPosition start = ClusterTimeCapture.capture(connection, dbName, List.of("a", "b"));
        MongoCollection<Document> a = db.getCollection("a");
        MongoCollection<Document> b = db.getCollection("b");
        // Written before the job exists: the captured position must still see them.
        a.insertOne(new Document("_id", 1).append("x", 1));
        b.insertOne(new Document("_id", "k1").append("tags", List.of("t")));

        JobID job = submit(client, source(start).collections(List.of("a", "b")).build(), null);
        awaitEvents(2);

        // One change at a time, so each update's looked-up document is the state right after it.
        step(() -> a.updateOne(Filters.eq("_id", 1), Updates.set("s", "v")), 3);
        step(() -> b.insertOne(new Document("_id", "k2").append("n", 1L)), 4);
        step(() -> a.updateOne(Filters.eq("_id", 1), Updates.inc("x", 5)), 5);
        step(() -> a.updateOne(Filters.eq("_id", 1), Updates.unset("s")), 6);
        step(() -> b.updateOne(Filters.eq("_id", "k1"), Updates.push("tags", "u")), 7);
        step(() -> a.replaceOne(Filters.eq("_id", 1), new Document("_id", 1).append("r", true)), 8);
        step(() -> b.deleteOne(Filters.eq("_id", "k2")), 9);
        step(() -> a.deleteOne(Filters.eq("_id", 1)), 10);

        cancel(client, job);
        assertThat(describe("a"))
                .containsExactly(
                        "INSERT 1 {\"_id\": 1, \"x\": 1}",
                        "UPDATE 1 {\"_id\": 1, \"x\": 1, \"s\": \"v\"}",
                        "UPDATE 1 {\"_id\": 1, \"x\": 6, \"s\": \"v\"}",
                        "UPDATE 1 {\"_id\": 1, \"x\": 6}",
                        "UPDATE 1 {\"_id\": 1, \"r\": true}",
                        "DELETE 1");
        assertThat(describe("b"))
                .containsExactly(
                        "INSERT \"k1\" {\"_id\": \"k1\", \"tags\": [\"t\"]}",
                        "INSERT \"k2\" {\"_id\": \"k2\", \"n\": 1}",
                        "UPDATE \"k1\" {\"_id\": \"k1\", \"tags\": [\"t\", \"u\"]}",
                        "DELETE \"k2\"");
        // Int64 stays Int64 (raw BSON all the way).
        assertThat(eventsOf("b").get(1).document().get("n").isInt64()).isTrue();
    }

    @Test
    void resumesExactlyFromASavepoint(
            @InjectClusterClient ClusterClient<?> client, @TempDir Path savepoints)
            throws Exception {
        StartPosition start = ClusterTimeCapture.capture(connection, dbName, List.of("c1", "c2"));
        ChangeStreamSource source = source(start).collections(List.of("c1", "c2")).build();
        JobID first = submit(client, source, null);

        // A writer keeps inserting into both collections while the job is stopped, and while it
        // restarts.
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        Thread writer =
                new Thread(
                        () -> {
                            int i = 0;
                            while (writing.get()) {
                                db.getCollection(i % 2 == 0 ? "c1" : "c2")
                                        .insertOne(new Document("_id", i));
                                written.incrementAndGet();
                                i++;
                                Pause.millis(2);
                            }
                        });
        writer.start();
        try {
            awaitEvents(100);
            String savepoint =
                    client.stopWithSavepoint(
                                    first,
                                    false,
                                    savepoints.toString(),
                                    SavepointFormatType.CANONICAL)
                            .get();
            awaitTerminal(client, first);
            int beforeResume = EVENTS.size();
            Pause.millis(300); // changes made while no job runs
            JobID second = submit(client, source, savepoint);
            Pause.millis(500);
            writing.set(false);
            writer.join();
            awaitEvents(written.get());
            Pause.millis(500); // anything extra (duplicates) would arrive now
            cancel(client, second);

            Map<BsonValue, Long> counts =
                    EVENTS.stream()
                            .collect(
                                    Collectors.groupingBy(
                                            MigrationEvent::id, Collectors.counting()));
            long duplicates = EVENTS.size() - counts.size();
            System.out.printf(
                    "Savepoint resume: %d written, %d events before the stop, %d after, %d duplicates%n",
                    written.get(), beforeResume, EVENTS.size() - beforeResume, duplicates);
            assertThat(counts).hasSize(written.get());
            assertThat(duplicates).isZero();
            for (String collection : List.of("c1", "c2")) {
                List<Integer> ids =
                        eventsOf(collection).stream()
                                .map(e -> e.id().asInt32().getValue())
                                .collect(Collectors.toList());
                assertThat(ids).isSorted(); // in source order per collection
            }
        } finally {
            writing.set(false);
            writer.join();
        }
    }

    @Test
    void picksUpACollectionCreatedDuringTheRun(@InjectClusterClient ClusterClient<?> client)
            throws Exception {
        db.getCollection("disc_old").insertOne(new Document("_id", 0));
        db.getCollection("other").insertOne(new Document("_id", 0));
        ChangeStreamSource source =
                source(StartPosition.now())
                        .collectionRegex("disc_.*")
                        .discoveryIntervalMillis(300)
                        .build();
        JobID job = submit(client, source, null);
        int probe = awaitStreaming(db.getCollection("disc_old"));

        // Created by its first insert, a burst right away: none of them may be lost.
        MongoCollection<Document> fresh = db.getCollection("disc_new");
        for (int i = 0; i < 20; i++) {
            fresh.insertOne(new Document("_id", i));
        }
        db.getCollection("other").insertOne(new Document("_id", 1));
        awaitEvents(e -> e.collection().equals("disc_new"), 20);
        Pause.millis(700);
        cancel(client, job);

        assertThat(eventsOf("disc_new").stream().map(e -> e.id().asInt32().getValue()))
                .containsExactlyElementsOf(
                        java.util.stream.IntStream.range(0, 20)
                                .boxed()
                                .collect(Collectors.toList()));
        assertThat(eventsOf("other")).isEmpty();
        // "now" has the 1 s resolution of cluster times: probes written just before the stream
        // opened may or may not be seen, the one that proved it open is the last.
        assertThat(describe("disc_old")).endsWith("INSERT " + probe + " {\"_id\": " + probe + "}");
    }

    @Test
    void followsACollectionOfADatabaseCreatedDuringTheRun(
            @InjectClusterClient ClusterClient<?> client) throws Exception {
        // Every collection of the databases "<dbName>_*" but the excluded one, across databases.
        String first = dbName + "_a";
        String later = dbName + "_b";
        MongoDatabase firstDb = SERVER.client().getDatabase(first);
        firstDb.getCollection("c").insertOne(new Document("_id", 0));
        firstDb.getCollection("skipped").insertOne(new Document("_id", 0));
        db.getCollection("c").insertOne(new Document("_id", 0)); // <dbName> itself: not matched
        CollectionSelection selection =
                CollectionSelection.namespaces(
                        List.of(NamespacePattern.parse(dbName + "_*.*", "test")),
                        List.of(NamespacePattern.parse(first + ".skipped", "test")));
        ChangeStreamSource source =
                ChangeStreamSource.builder()
                        .connection(connection)
                        .selection(selection)
                        .startPosition(StartPosition.now())
                        .discoveryIntervalMillis(300)
                        .build();
        JobID job = submit(client, source, null);
        awaitStreaming(firstDb.getCollection("c"));

        // A database that did not exist when the job started, created by a burst of inserts:
        // none of them may be lost.
        MongoCollection<Document> fresh = SERVER.client().getDatabase(later).getCollection("c");
        for (int i = 0; i < 20; i++) {
            fresh.insertOne(new Document("_id", i));
        }
        firstDb.getCollection("skipped").insertOne(new Document("_id", 1));
        db.getCollection("c").insertOne(new Document("_id", 1));
        awaitEvents(e -> e.database().equals(later), 20);
        Pause.millis(700);
        cancel(client, job);

        assertThat(
                        EVENTS.stream()
                                .filter(e -> e.database().equals(later))
                                .map(e -> e.collection() + " " + e.id().asInt32().getValue()))
                .containsExactlyElementsOf(
                        java.util.stream.IntStream.range(0, 20)
                                .mapToObj(i -> "c " + i)
                                .collect(Collectors.toList()));
        assertThat(EVENTS)
                .as("neither the excluded collection nor an unmatched database is streamed")
                .noneMatch(e -> e.database().equals(dbName) || e.collection().equals("skipped"));
    }

    @Test
    void dropEmitsDropCollectionOfThatCollectionOnly(@InjectClusterClient ClusterClient<?> client)
            throws Exception {
        StartPosition start = ClusterTimeCapture.capture(connection, dbName, List.of("d1", "d2"));
        db.getCollection("d1").insertOne(new Document("_id", 1));
        db.getCollection("d2").insertOne(new Document("_id", 1));
        db.getCollection("unselected").insertOne(new Document("_id", 1));
        JobID job = submit(client, source(start).collections(List.of("d1", "d2")).build(), null);
        awaitEvents(2);

        step(() -> db.getCollection("d2").drop(), 3);
        db.getCollection("unselected").drop();
        // Re-created by an insert: its stream continues.
        step(() -> db.getCollection("d2").insertOne(new Document("_id", 2)), 4);
        step(() -> db.getCollection("d1").insertOne(new Document("_id", 2)), 5);
        Pause.millis(500);
        cancel(client, job);

        assertThat(describe("d2"))
                .containsExactly(
                        "INSERT 1 {\"_id\": 1}", "DROP_COLLECTION", "INSERT 2 {\"_id\": 2}");
        assertThat(describe("d1"))
                .containsExactly("INSERT 1 {\"_id\": 1}", "INSERT 2 {\"_id\": 2}");
    }

    @Test
    void watermarkNeverHoldsBackEvenWithAReaderWithoutSplits(
            @InjectClusterClient ClusterClient<?> client) throws Exception {
        StartPosition start = ClusterTimeCapture.capture(connection, dbName, List.of("w"));
        // One collection, two readers: one reader has no split at all.
        JobID job = submit(client, source(start).collections(List.of("w")).build(), null);
        step(() -> db.getCollection("w").insertOne(new Document("_id", 1)), 1);
        Pause.millis(600); // a few periodic watermark emits
        step(() -> db.getCollection("w").insertOne(new Document("_id", 2)), 2);
        cancel(client, job);
        assertThat(WATERMARK.get()).isEqualTo(Long.MAX_VALUE - 1);
    }

    @Test
    void invalidResumeTokenFailsTheJobWithAClearMessage(
            @InjectClusterClient ClusterClient<?> client) throws Exception {
        db.getCollection("t").insertOne(new Document("_id", 1));
        ChangeStreamSource source =
                source(StartPosition.resumeToken("{\"_data\": \"zz-not-a-token\"}"))
                        .collections(List.of("t"))
                        .build();
        JobID job = submit(client, source, null);

        JobResult result = client.requestJobResult(job).get();
        assertThat(result.getApplicationStatus().deriveJobStatus()).isEqualTo(JobStatus.FAILED);
        Throwable failure =
                result.getSerializedThrowable().get().deserializeError(getClass().getClassLoader());
        Optional<ChangeStreamPositionLostException> cause =
                ExceptionUtils.findThrowable(failure, ChangeStreamPositionLostException.class);
        assertThat(cause).isPresent();
        System.out.println("Invalid token failure: " + cause.get().getMessage());
        assertThat(cause.get().getMessage())
                .contains(dbName + ".t")
                .contains("zz-not-a-token")
                .contains("restart the migration with a fresh snapshot");
        assertThat(EVENTS).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------

    private ChangeStreamSource.Builder source(StartPosition start) {
        return ChangeStreamSource.builder()
                .connection(connection)
                .database(dbName)
                .startPosition(start);
    }

    private static JobID submit(
            ClusterClient<?> client, ChangeStreamSource source, String savepoint) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(PARALLELISM);
        env.enableCheckpointing(1000);
        env.getConfig().disableGenericTypes();
        env.fromSource(source, ChangeStreamSource.watermarkStrategy(), "cdc")
                .uid("cdc-source")
                .addSink(new CollectingSink())
                .uid("collect")
                .setParallelism(1);
        JobGraph jobGraph = env.getStreamGraph().getJobGraph();
        if (savepoint != null) {
            jobGraph.setSavepointRestoreSettings(
                    SavepointRestoreSettings.forPath(savepoint, false));
        }
        JobID id = client.submitJob(jobGraph).get();
        awaitStatus(client, id, s -> s == JobStatus.RUNNING || s.isGloballyTerminalState());
        return id;
    }

    private static void cancel(ClusterClient<?> client, JobID job) throws Exception {
        client.cancel(job).get();
        awaitTerminal(client, job);
    }

    private static void awaitTerminal(ClusterClient<?> client, JobID job) throws Exception {
        awaitStatus(client, job, JobStatus::isGloballyTerminalState);
    }

    private static void awaitStatus(ClusterClient<?> client, JobID job, Predicate<JobStatus> done)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.test(client.getJobStatus(job).get())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Job " + job + " did not reach the expected status");
            }
            Pause.millis(20);
        }
    }

    /**
     * Waits until the stream of a collection whose job starts at "now" is open: "now" is taken when
     * the enumerator starts, which may be well after the job reports RUNNING on a loaded machine,
     * so a single insert right after the submission may rightly be missed. Inserts probes with ids
     * 1, 2, ... until one arrives; returns the id of the first that did.
     */
    private static int awaitStreaming(MongoCollection<Document> collection)
            throws InterruptedException {
        String database = collection.getNamespace().getDatabaseName();
        String name = collection.getNamespace().getCollectionName();
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int probe = 1; ; probe++) {
            collection.insertOne(new Document("_id", probe));
            long next = System.nanoTime() + Duration.ofMillis(500).toNanos();
            while (System.nanoTime() < next) {
                for (MigrationEvent event : EVENTS) {
                    if (event.database().equals(database)
                            && event.collection().equals(name)
                            && event.id().isInt32()
                            && event.id().asInt32().getValue() >= 1) {
                        return event.id().asInt32().getValue();
                    }
                }
                Thread.sleep(10);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "The stream of "
                                + collection.getNamespace()
                                + " did not open within "
                                + WAIT
                                + ": "
                                + EVENTS);
            }
        }
    }

    private void step(Runnable write, int expectedEvents) throws InterruptedException {
        write.run();
        awaitEvents(expectedEvents);
    }

    private static void awaitEvents(int count) throws InterruptedException {
        awaitEvents(e -> true, count);
    }

    private static void awaitEvents(Predicate<MigrationEvent> filter, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (EVENTS.stream().filter(filter).count() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "Expected " + count + " events, got " + EVENTS.size() + ": " + EVENTS);
            }
            Thread.sleep(10);
        }
    }

    private List<MigrationEvent> eventsOf(String collection) {
        List<MigrationEvent> events = new ArrayList<>();
        for (MigrationEvent event : EVENTS) {
            if (event.database().equals(dbName) && event.collection().equals(collection)) {
                events.add(event);
            }
        }
        return events;
    }

    private List<String> describe(String collection) {
        List<String> lines = new ArrayList<>();
        for (MigrationEvent event : eventsOf(collection)) {
            StringBuilder line = new StringBuilder(event.kind().name());
            if (event.idBytes() != null) {
                String json = new BsonDocument("v", event.id()).toJson(); // {"v": <id>}
                line.append(' ').append(json, 6, json.length() - 1);
            }
            if (event.documentBytes() != null) {
                line.append(' ').append(event.document().toJson());
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** Adds to {@link #EVENTS}; parallelism 1, so arrival order is per-collection source order. */
    private static final class CollectingSink implements SinkFunction<MigrationEvent> {
        @Override
        public void invoke(MigrationEvent value, Context context) {
            WATERMARK.set(context.currentWatermark());
            EVENTS.add(value);
        }
    }
}
