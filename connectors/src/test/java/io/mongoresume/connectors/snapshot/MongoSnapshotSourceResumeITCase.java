package io.mongoresume.connectors.snapshot;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.event.EventKeys;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.snapshot.enumerator.partition.PartitionStrategy;
import io.mongoresume.connectors.testutils.MiniClusters;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.connectors.testutils.TestEnvironments;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stop-with-savepoint in the middle of a snapshot, then resume from the savepoint: together the two
 * runs emit every document exactly once, and the resumed run re-fetches at most one batch per
 * reader.
 */
class MongoSnapshotSourceResumeITCase {

    private static final Logger LOG =
            LoggerFactory.getLogger(MongoSnapshotSourceResumeITCase.class);

    private static final int PARALLELISM = 2;
    private static final int DOCUMENTS = 50_000;
    private static final int BATCH_READ_LIMIT = 1_000;

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            MiniClusters.withMetrics(REPORTER, 1, PARALLELISM);

    static final Map<String, Queue<String>> EMITTED = new ConcurrentHashMap<>();

    /**
     * COUNT over 50k int ids; MIN_MAX over ~30k ids of every type bracket (incl. a client-filtered
     * one).
     */
    @ParameterizedTest
    @EnumSource(PartitionStrategy.class)
    void resumesFromSavepointWithoutDuplicatesOrGaps(
            PartitionStrategy strategy,
            @InjectClusterClient ClusterClient<?> cluster,
            @TempDir Path savepoints)
            throws Exception {
        try (MongoTestServer server = MongoTestServer.source();
                MongoClient client = MongoClients.create(server.uri())) {
            String database = MongoTestServer.freshDatabaseName("snapshot_resume");
            MongoCollection<BsonDocument> collection =
                    client.getDatabase(database).getCollection("docs", BsonDocument.class);
            List<BsonValue> ids =
                    strategy == PartitionStrategy.COUNT
                            ? SnapshotTestData.intIds(DOCUMENTS)
                            : SnapshotTestData.mixedIds(DOCUMENTS / 10);
            SnapshotTestData.insertAll(collection, ids);
            int documents = ids.size();

            MongoSnapshotSource source =
                    MongoSnapshotSource.builder()
                            .connection(MongoConnectionOptions.of(server.uri(), 10_000))
                            .database(database)
                            .collections(List.of("docs"))
                            .partitionStrategy(strategy)
                            .partitionSize(8_000)
                            .partitionCount(4)
                            .batchReadLimit(BATCH_READ_LIMIT)
                            .fetchSize(100)
                            .build();

            String firstRun = strategy + "-first";
            String secondRun = strategy + "-second";
            JobGraph first = jobGraph(source, firstRun, 20);
            JobID firstId = cluster.submitJob(first).get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (EMITTED.get(firstRun).size() < documents * 3 / 10) {
                assertThat(System.nanoTime()).as("first run too slow").isLessThan(deadline);
                Thread.sleep(20);
            }
            String savepoint =
                    cluster.stopWithSavepoint(
                                    firstId,
                                    false,
                                    savepoints.toString(),
                                    SavepointFormatType.CANONICAL)
                            .get();
            int firstCount = EMITTED.get(firstRun).size();
            assertThat(firstCount).isLessThan(documents);

            JobGraph second = jobGraph(source, secondRun, 0);
            second.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
            JobID secondId = cluster.submitJob(second).get();
            JobResult result = cluster.requestJobResult(secondId).get();
            assertThat(result.isSuccess())
                    .as("second run: %s", result.getSerializedThrowable())
                    .isTrue();

            List<String> all = new ArrayList<>(EMITTED.get(firstRun));
            all.addAll(EMITTED.get(secondRun));
            Set<String> distinct = new HashSet<>(all);
            assertThat(all)
                    .as("no document emitted twice across the two runs")
                    .hasSize(distinct.size());
            Set<String> expected = new HashSet<>();
            for (BsonValue id : ids) {
                expected.add(EventKeys.key(database, "docs", id));
            }
            assertThat(distinct).isEqualTo(expected);

            long refetched = sum(secondId, "documentsRefetched");
            long read = sum(secondId, "documentsRead");
            long emitted = sum(secondId, "documentsEmitted");
            LOG.info(
                    "Resume ({}): first run emitted {}, second run read {}, emitted {}, re-fetched"
                            + " {}",
                    strategy,
                    firstCount,
                    read,
                    emitted,
                    refetched);
            assertThat(emitted).isEqualTo(documents - firstCount);
            // Re-fetched documents were read in the first run but not emitted before the savepoint:
            // they
            // are emitted now, so they are part of both counts.
            assertThat(read).isEqualTo(emitted);
            assertThat(refetched).isLessThanOrEqualTo((long) PARALLELISM * BATCH_READ_LIMIT);
            assertThat(gauge(secondId, "collectionsFinished")).isEqualTo(1L);
            assertThat(gauge(secondId, "splitsFinished")).isEqualTo(gauge(secondId, "splitsTotal"));
        }
    }

    private static long sum(JobID job, String metric) {
        long total = 0;
        for (Map.Entry<String, Metric> e : REPORTER.findMetrics(job, metric).entrySet()) {
            if (e.getKey().endsWith("." + metric)) {
                total += ((Counter) e.getValue()).getCount();
            }
        }
        return total;
    }

    private static long gauge(JobID job, String metric) {
        // The source-wide gauge, not the per-collection one.
        Metric found =
                REPORTER.findMetrics(job, metric).entrySet().stream()
                        .filter(e -> e.getKey().endsWith(".enumerator." + metric))
                        .map(Map.Entry::getValue)
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no enumerator gauge " + metric));
        return ((Number) ((org.apache.flink.metrics.Gauge<?>) found).getValue()).longValue();
    }

    private static JobGraph jobGraph(MongoSnapshotSource source, String run, int sleepEvery) {
        EMITTED.put(run, new ConcurrentLinkedQueue<>());
        StreamExecutionEnvironment env = TestEnvironments.withoutGenericTypes(PARALLELISM);
        env.enableCheckpointing(300);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "snapshot")
                .uid("snapshot-source")
                .map(new SlowRecorder(run, sleepEvery))
                .uid("recorder")
                .sinkTo(new DiscardingSink<>())
                .uid("sink");
        return env.getStreamGraph().getJobGraph();
    }

    /**
     * Records the key (namespace + canonical _id) of each event of its run; sleeps 1 ms every N
     * events to stretch the first run.
     */
    static final class SlowRecorder implements MapFunction<MigrationEvent, MigrationEvent> {
        private final String run;
        private final int sleepEvery;
        private long seen;

        SlowRecorder(String run, int sleepEvery) {
            this.run = run;
            this.sleepEvery = sleepEvery;
        }

        @Override
        public MigrationEvent map(MigrationEvent event) throws Exception {
            EMITTED.get(run).add(event.key());
            if (sleepEvery > 0 && ++seen % sleepEvery == 0) {
                Thread.sleep(1);
            }
            return event;
        }
    }
}
