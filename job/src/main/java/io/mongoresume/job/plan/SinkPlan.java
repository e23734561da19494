package io.mongoresume.job.plan;

import com.mongodb.WriteConcern;
import io.mongoresume.connectors.sink.WriteErrorPolicy;
import io.mongoresume.connectors.sink.WritePolicy;

/** How the sink writes: its writers, batches, retries, policies and the processing-time alert. */
public record SinkPlan(
        int writers,
        int batchSize,
        long batchMaxWaitMillis,
        int maxRetries,
        long retryBackoffMillis,
        WritePolicy writePolicy,
        WriteErrorPolicy onWriteError,
        WriteConcern writeConcern,
        long alertThresholdMillis,
        long alertSustainMillis) {}
