package io.mongoresume.connectors.sink;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.SourceFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.mongodb.client.MongoClient;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.event.MigrationEventTypeInfo;
import io.mongoresume.connectors.testutils.MongoServerExtension;
import io.mongoresume.connectors.testutils.MongoTestServer;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import static io.mongoresume.connectors.sink.SinkTestEvents.create;
import static io.mongoresume.connectors.sink.SinkTestEvents.delete;
import static io.mongoresume.connectors.sink.SinkTestEvents.doc;
import static io.mongoresume.connectors.sink.SinkTestEvents.insert;
import static io.mongoresume.connectors.sink.SinkTestEvents.snapshot;
import static io.mongoresume.connectors.sink.SinkTestEvents.update;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sink in a real (mini) cluster: Flink's SinkWriterOperator, checkpoints, metrics reporting.
 */
class MongoMigrationSinkITCase {

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .build());

    @RegisterExtension
    static final MongoServerExtension SERVER = new MongoServerExtension(MongoTestServer::target);

    private static StreamExecutionEnvironment env(int parallelism) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        return env;
    }

    private static MongoMigrationSink sink(int batchSize, long maxWait) {
        return MongoMigrationSink.builder()
                .connection(MongoConnectionOptions.of(SERVER.server().uri(), 5_000))
                .batchSize(batchSize)
                .batchMaxWaitMillis(maxWait)
                .build();
    }

    private static Map<Integer, BsonDocument> contents(String db, String coll) {
        Map<Integer, BsonDocument> out = new TreeMap<>();
        for (BsonDocument d :
                SERVER.client().getDatabase(db).getCollection(coll, BsonDocument.class).find()) {
            out.put(d.getInt32("_id").getValue(), d);
        }
        return out;
    }

    @Test
    void keyedEventsFromSeveralNamespacesConverge() throws Exception {
        String db = MongoTestServer.freshDatabaseName("sinkmc");
        List<MigrationEvent> events = new ArrayList<>();
        Map<String, Map<Integer, BsonDocument>> expected = new HashMap<>();
        String[] colls = {"a", "b", "c"};
        for (int i = 0; i < 600; i++) {
            // collection c only appears half way through
            String coll = i < 300 ? colls[i % 2] : colls[i % 3];
            int id = i % 37;
            Map<Integer, BsonDocument> state = expected.computeIfAbsent(coll, k -> new TreeMap<>());
            if (i % 11 == 10) {
                events.add(delete(db, coll, id));
                state.remove(id);
            } else {
                BsonDocument d = doc(id, "f" + (i % 4), i);
                events.add(
                        i % 3 == 0
                                ? snapshot(db, coll, d)
                                : i % 3 == 1 ? insert(db, coll, d) : update(db, coll, d));
                state.put(id, d);
            }
        }
        events.add(create(db, "empty"));

        StreamExecutionEnvironment env = env(2);
        env.fromData(events, MigrationEventTypeInfo.INSTANCE)
                .setParallelism(1)
                .keyBy(MigrationEvent::key)
                .sinkTo(sink(16, 50))
                .name("mongo-sink")
                .uid("mongo-sink");
        JobExecutionResult result = env.execute("sink-converges");

        for (String coll : colls) {
            assertThat(contents(db, coll)).as(coll).isEqualTo(expected.get(coll));
        }
        assertThat(SERVER.client().getDatabase(db).listCollectionNames().into(new ArrayList<>()))
                .contains("empty");

        Map<String, Metric> written = REPORTER.findMetrics(result.getJobID(), "documentsWritten");
        assertThat(written.keySet())
                .anySatisfy(name -> assertThat(name).contains("collection", db + ".c"));
        long total = 0;
        for (Metric metric : written.values()) {
            total += ((Counter) metric).getCount();
        }
        assertThat(total).isPositive();
        assertThat(REPORTER.findMetrics(result.getJobID(), "writesPerSecond")).isNotEmpty();
        assertThat(REPORTER.findMetrics(result.getJobID(), "lastFlushDurationMs")).isNotEmpty();
        SERVER.client().getDatabase(db).drop();
    }

    @Test
    void checkpointFlushesPendingWrites() throws Exception {
        String db = MongoTestServer.freshDatabaseName("sinkcp");
        StreamExecutionEnvironment env = env(1);
        env.enableCheckpointing(100);
        CheckpointWaitingSource.seenAtCheckpoint.set(-1);
        // Neither size (10000) nor timer (off) can trigger: only the checkpoint flush writes.
        env.addSource(
                        new CheckpointWaitingSource(db, SERVER.server().uri()),
                        MigrationEventTypeInfo.INSTANCE)
                .sinkTo(sink(10_000, -1));
        env.execute("sink-checkpoint-flush");

        assertThat(CheckpointWaitingSource.seenAtCheckpoint.get())
                .isEqualTo(CheckpointWaitingSource.COUNT);
        assertThat(contents(db, "c")).hasSize(CheckpointWaitingSource.COUNT);
        SERVER.client().getDatabase(db).drop();
    }

    /**
     * Emits its events, waits for a checkpoint taken after them to complete, then records how many
     * documents the target holds at that moment (before end of input could flush anything).
     */
    private static final class CheckpointWaitingSource
            implements SourceFunction<MigrationEvent>, CheckpointedFunction, CheckpointListener {

        static final int COUNT = 50;
        static final AtomicLong seenAtCheckpoint = new AtomicLong(-1);

        private final String db;
        private final String uri;
        private volatile boolean running = true;
        private volatile boolean emitted;
        private volatile long checkpointAfterEmit = Long.MAX_VALUE;
        private volatile boolean completed;

        CheckpointWaitingSource(String db, String uri) {
            this.db = db;
            this.uri = uri;
        }

        @Override
        public void run(SourceContext<MigrationEvent> ctx) throws Exception {
            synchronized (ctx.getCheckpointLock()) {
                for (int i = 0; i < COUNT; i++) {
                    ctx.collect(insert(db, "c", doc(i, "v", i)));
                }
                emitted = true;
            }
            while (running && !completed) {
                Thread.sleep(10);
            }
            try (MongoClient c = MongoConnectionOptions.of(uri, 5_000).createClient()) {
                seenAtCheckpoint.set(c.getDatabase(db).getCollection("c").countDocuments());
            }
        }

        @Override
        public void cancel() {
            running = false;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            if (emitted && checkpointAfterEmit == Long.MAX_VALUE) {
                checkpointAfterEmit = context.getCheckpointId();
            }
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {}

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            if (checkpointId >= checkpointAfterEmit) {
                completed = true;
            }
        }
    }
}
