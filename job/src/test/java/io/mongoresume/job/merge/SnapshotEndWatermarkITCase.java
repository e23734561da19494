package io.mongoresume.job.merge;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;

import io.mongoresume.connectors.event.EventKind;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.event.MigrationEventTypeInfo;
import io.mongoresume.connectors.testutils.TestEnvironments;
import io.mongoresume.job.testutils.TestJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static io.mongoresume.job.merge.SnapshotCdcMergeFunction.SNAPSHOT_DONE_WATERMARK;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watermark contract on a real runtime (RocksDB, two subtasks, checkpoints): while the bounded
 * snapshot source runs the merge's combined watermark stays below {@link
 * SnapshotCdcMergeFunction#SNAPSHOT_DONE_WATERMARK} although the CDC input already carries it; once
 * the snapshot finishes it reaches it, the state is released ({@code keysInState} back to 0) and
 * the still-running CDC passes straight through.
 */
class SnapshotEndWatermarkITCase {

    private static final int ROWS = 600;
    private static final int CDC_KEYS = 800;
    private static final KeySelector<MigrationEvent, String> KEY = MigrationEvent::key;

    /** What the probe after the merge saw: kind, subtask, and whether the snapshot had finished. */
    private static final Queue<Observation> OBSERVED = new ConcurrentLinkedQueue<>();

    private static final InMemoryReporter REPORTER = InMemoryReporter.create();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestJobs.miniCluster(REPORTER, 1, 2);

    @Test
    void stateIsReleasedWhenTheSnapshotFinishesWhileCdcRuns() throws Exception {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        StreamExecutionEnvironment env = TestEnvironments.withoutGenericTypes(conf, 2);
        env.enableCheckpointing(300);

        DataStream<MigrationEvent> rows =
                env.fromSource(
                        new DataGeneratorSource<>(
                                i -> MergeTestEvents.row(i.intValue(), 0),
                                ROWS,
                                RateLimiterStrategy.perSecond(300),
                                MigrationEventTypeInfo.INSTANCE),
                        MergeWatermarks.snapshot(),
                        "snapshot");
        DataStream<MigrationEvent> changes =
                env.fromSource(
                        new DataGeneratorSource<>(
                                i -> MergeTestEvents.update((int) (i % CDC_KEYS), 1),
                                Long.MAX_VALUE,
                                RateLimiterStrategy.perSecond(200),
                                MigrationEventTypeInfo.INSTANCE),
                        MergeWatermarks.changeStream(),
                        "changes");
        rows.connect(changes)
                .keyBy(KEY, KEY)
                .process(new SnapshotCdcMergeFunction(), MigrationEventTypeInfo.INSTANCE)
                .name("merge")
                .uid("merge")
                .process(new WatermarkProbe())
                .sinkTo(new DiscardingSink<>());

        JobClient job = env.executeAsync("merge-watermark-contract");
        try {
            JobID jobId = job.getJobID();
            long peakKeysInState = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                long keysInState = sum(jobId, SnapshotCdcMergeFunction.KEYS_IN_STATE);
                peakKeysInState = Math.max(peakKeysInState, keysInState);
                long changesAfterSnapshot =
                        OBSERVED.stream()
                                .filter(o -> o.snapshotDone() && o.kind().isChange())
                                .count();
                if (keysInState == 0 && changesAfterSnapshot >= 50) {
                    break;
                }
                assertThat(System.nanoTime())
                        .as("snapshot end seen by the merge")
                        .isLessThan(deadline);
                Thread.sleep(100);
            }

            assertThat(peakKeysInState).isPositive();
            assertThat(
                            sum(jobId, SnapshotCdcMergeFunction.SNAPSHOT_ROWS_EMITTED)
                                    + sum(jobId, SnapshotCdcMergeFunction.SNAPSHOT_ROWS_DROPPED))
                    .isEqualTo(ROWS);
            List<Observation> observed = new ArrayList<>(OBSERVED);
            // CDC's watermark did not leak through while the snapshot ran ...
            assertThat(observed).anyMatch(o -> o.kind().isChange() && !o.snapshotDone());
            // ... and no snapshot row comes after the merge saw the snapshot end.
            for (int subtask = 0; subtask < 2; subtask++) {
                boolean done = false;
                for (Observation o : observed) {
                    if (o.subtask() != subtask) {
                        continue;
                    }
                    done |= o.snapshotDone();
                    assertThat(done && o.kind() == EventKind.SNAPSHOT_ROW).isFalse();
                }
            }
        } finally {
            job.cancel().get();
        }
    }

    private static long sum(JobID jobId, String metricName) {
        long sum = 0;
        for (Map.Entry<String, Metric> metric :
                REPORTER.findMetrics(jobId, metricName).entrySet()) {
            if (!metric.getKey().endsWith("." + metricName)) {
                continue;
            }
            if (metric.getValue() instanceof Counter) {
                sum += ((Counter) metric.getValue()).getCount();
            } else {
                sum += ((Number) ((Gauge<?>) metric.getValue()).getValue()).longValue();
            }
        }
        return sum;
    }

    private record Observation(EventKind kind, int subtask, boolean snapshotDone) {}

    /** Records each merged record with the watermark it was emitted under. */
    private static final class WatermarkProbe
            extends ProcessFunction<MigrationEvent, MigrationEvent> {
        @Override
        public void processElement(
                MigrationEvent event, Context ctx, Collector<MigrationEvent> out) {
            OBSERVED.add(
                    new Observation(
                            event.kind(),
                            getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                            ctx.timerService().currentWatermark() >= SNAPSHOT_DONE_WATERMARK));
            out.collect(event);
        }
    }
}
