package io.mongoresume.job.plan;

import org.apache.flink.configuration.Configuration;

import java.time.Duration;

/**
 * How Flink runs the job: its name, checkpoints and savepoints, and the {@code flink.*} options of
 * the job file (prefix removed).
 *
 * @param maxParallelism the job's max parallelism, as the merge's key groups are cut by it
 * @param flinkChoosesMaxParallelism whether {@code flink.pipeline.max-parallelism=-1} leaves it to
 *     Flink
 */
public record RuntimePlan(
        String jobName,
        Duration checkpointInterval,
        String checkpointDir,
        String savepointDir,
        Configuration flinkOptions,
        int maxParallelism,
        boolean flinkChoosesMaxParallelism) {

    /** A copy: Flink's configuration is mutable. */
    @Override
    public Configuration flinkOptions() {
        return new Configuration(flinkOptions);
    }
}
