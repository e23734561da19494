package io.mongoresume.job.topology;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;

import io.mongoresume.connectors.cdc.offset.StartPosition;
import io.mongoresume.job.plan.MigrationPlan;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The job graph's wiring that no integration test sees: per-branch network settings. */
class MigrationJobTest {

    @Test
    void changeStreamBranchSendsItsBuffersSoonerThanTheSnapshot() {
        StreamGraph graph = graph(Map.of());

        // Snapshot rows keep Flink's default (full buffers for bulk throughput); change events, a
        // trickle,
        // leave after cdc.buffer-timeout (default 10 ms) instead of up to 100 ms.
        assertThat(node(graph, "Change streams").getBufferTimeout()).isEqualTo(10L);
        assertThat(node(graph, "Skip DDL").getBufferTimeout()).isEqualTo(10L);
        assertThat(node(graph, "Snapshot").getBufferTimeout()).isEqualTo(100L);
    }

    @Test
    void changeStreamBufferTimeoutIsConfigurable() {
        StreamGraph graph = graph(Map.of("cdc.buffer-timeout", "0 ms"));

        assertThat(node(graph, "Change streams").getBufferTimeout()).isZero();
        assertThat(node(graph, "Skip DDL").getBufferTimeout()).isZero();
    }

    private static StreamGraph graph(Map<String, String> extra) {
        Map<String, String> raw = new TreeMap<>();
        raw.put("source.uri", "mongodb://localhost:1");
        raw.put("source.database", "shop");
        raw.put("source.collections", "orders");
        raw.put("target.uri", "mongodb://localhost:2");
        raw.putAll(extra);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        MigrationJob.build(
                env,
                MigrationPlan.fromRaw(raw),
                List.of("shop.orders"),
                StartPosition.capturedAtFirstStart());
        return env.getStreamGraph();
    }

    private static StreamNode node(StreamGraph graph, String namePrefix) {
        return graph.getStreamNodes().stream()
                .filter(n -> n.getOperatorName().replace("Source: ", "").startsWith(namePrefix))
                .findFirst()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "no operator named "
                                                + namePrefix
                                                + "… in "
                                                + graph.getStreamNodes()));
    }
}
