package io.mongoresume.connectors.testutils;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The environment of a test job built by hand: like the production job it refuses generic (Kryo)
 * types, so a test fails where a type would fall back to Kryo.
 */
public final class TestEnvironments {

    private TestEnvironments() {}

    public static StreamExecutionEnvironment withoutGenericTypes(int parallelism) {
        return withoutGenericTypes(new Configuration(), parallelism);
    }

    /** On top of {@code conf}, which this sets {@link PipelineOptions#GENERIC_TYPES} in. */
    public static StreamExecutionEnvironment withoutGenericTypes(
            Configuration conf, int parallelism) {
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        return env;
    }
}
