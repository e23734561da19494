package io.mongoresume.benchmarks;

import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.mongoresume.job.plan.MigrationPlan;
import io.mongoresume.job.topology.MigrationJob;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The product's job graph, exactly as {@code run} builds it, with benchmark options. */
final class OurJob {

    private OurJob() {}

    /**
     * Options for every job of this benchmark run that differ from the product defaults (--set).
     */
    static final Map<String, String> overrides = new LinkedHashMap<>();

    static Map<String, String> options(
            String sourceUri,
            String targetUri,
            String targetDb,
            Path stateDir,
            int parallelism,
            String strategy,
            long docs) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("source.uri", sourceUri);
        raw.put("source.database", DataSet.DATABASE);
        raw.put("source.collections", DataSet.COLLECTION);
        // The product default is full+incremental; the copy measurements are about the snapshot
        // alone.
        raw.put("sync.type", "full");
        raw.put("target.uri", targetUri);
        raw.put("target.database", targetDb);
        raw.put("checkpoint.dir", stateDir.resolve("checkpoints").toUri().toString());
        raw.put("savepoint.dir", stateDir.resolve("savepoints").toUri().toString());
        raw.put("snapshot.readers", String.valueOf(parallelism));
        raw.put("target.writers", String.valueOf(parallelism));
        raw.put("snapshot.partition.strategy", strategy);
        // The same number of splits for both strategies: 4 per reader.
        raw.put("snapshot.partition.count", String.valueOf(splits(parallelism)));
        raw.put("snapshot.partition.size", String.valueOf(splitSize(docs, parallelism)));
        raw.putAll(overrides);
        return raw;
    }

    static int splits(int parallelism) {
        return 4 * parallelism;
    }

    static long splitSize(long docs, int parallelism) {
        return (docs + splits(parallelism) - 1) / splits(parallelism);
    }

    static JobGraph graph(Map<String, String> raw, String savepoint) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        MigrationJob.build(env, MigrationPlan.fromRaw(raw), savepoint != null);
        JobGraph graph = env.getStreamGraph().getJobGraph();
        if (savepoint != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        }
        return graph;
    }

    static JobID submit(FlinkCluster cluster, Map<String, String> raw, String savepoint)
            throws Exception {
        return cluster.submit(graph(raw, savepoint));
    }
}
