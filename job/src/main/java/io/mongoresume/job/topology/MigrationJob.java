package io.mongoresume.job.topology;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.ExecutionCheckpointingOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.List;

import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.event.MigrationEventTypeInfo;
import io.mongoresume.connectors.sink.MongoMigrationSink;
import io.mongoresume.connectors.snapshot.MongoSnapshotSource;
import io.mongoresume.connectors.target.TargetPreparer;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.config.MigrationOptions;

/** Assembles the job graph from validated options. It connects to nothing itself. */
public final class MigrationJob {

    /** Fixed so that keyed state in savepoints stays restorable when parallelism changes. */
    public static final int MAX_PARALLELISM = 128;

    private MigrationJob() {}

    /**
     * Job-level Flink settings: checkpointing, RocksDB with incremental checkpoints, no Kryo fallback. Flink
     * options from the job file ({@code flink.*}) override these.
     */
    public static Configuration flinkConfiguration(MigrationConfig config) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.get(MigrationOptions.CHECKPOINT_DIR));
        conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, config.get(MigrationOptions.SAVEPOINT_DIR));
        conf.set(ExecutionCheckpointingOptions.CHECKPOINTING_INTERVAL,
                config.get(MigrationOptions.CHECKPOINT_INTERVAL));
        conf.set(
                ExecutionCheckpointingOptions.EXTERNALIZED_CHECKPOINT,
                org.apache.flink.streaming.api.environment.CheckpointConfig
                        .ExternalizedCheckpointCleanup.RETAIN_ON_CANCELLATION);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.MAX_PARALLELISM, MAX_PARALLELISM);
        conf.set(PipelineOptions.NAME, config.jobName());
        conf.addAll(config.flinkOptions());
        return conf;
    }

    /** Adds the migration pipeline for the given (already resolved) collections to the environment. */
    public static void build(
            StreamExecutionEnvironment env, MigrationConfig config, List<String> collections) {
        env.configure(flinkConfiguration(config));

        MongoSnapshotSource snapshot =
                MongoSnapshotSource.builder()
                        .connection(config.sourceConnection())
                        .database(config.sourceDatabase())
                        .collections(collections)
                        .partitionStrategy(config.get(MigrationOptions.SNAPSHOT_PARTITION_STRATEGY))
                        .partitionSize(config.get(MigrationOptions.SNAPSHOT_PARTITION_SIZE))
                        .partitionCount(config.get(MigrationOptions.SNAPSHOT_PARTITION_COUNT))
                        .batchReadLimit(config.get(MigrationOptions.SNAPSHOT_BATCH_READ_LIMIT))
                        .fetchSize(config.get(MigrationOptions.SNAPSHOT_FETCH_SIZE))
                        .noCursorTimeout(config.get(MigrationOptions.SNAPSHOT_NO_CURSOR_TIMEOUT))
                        .collectionPreparer(targetPreparer(config))
                        .build();

        DataStream<MigrationEvent> rows =
                env.fromSource(
                                snapshot,
                                WatermarkStrategy.noWatermarks(),
                                "Snapshot " + config.sourceDatabase(),
                                MigrationEventTypeInfo.INSTANCE)
                        .uid(OperatorUids.SNAPSHOT_SOURCE)
                        .setParallelism(config.get(MigrationOptions.SNAPSHOT_READERS));

        rows.keyBy(new EventKeySelector(), Types.STRING)
                .sinkTo(sink(config))
                .uid(OperatorUids.SINK)
                .name("MongoDB sink -> " + config.targetDatabase())
                .setParallelism(config.get(MigrationOptions.TARGET_WRITERS));
    }

    static TargetPreparer targetPreparer(MigrationConfig config) {
        return TargetPreparer.builder()
                .source(config.sourceConnection())
                .target(config.targetConnection())
                .targetDatabase(config.targetDatabase())
                .existingData(config.get(MigrationOptions.TARGET_EXISTING_DATA))
                .copyIndexes(config.get(MigrationOptions.TARGET_COPY_INDEXES))
                .build();
    }

    static MongoMigrationSink sink(MigrationConfig config) {
        return MongoMigrationSink.builder()
                .connection(config.targetConnection())
                .targetDatabase(config.targetDatabase())
                .batchSize(config.get(MigrationOptions.TARGET_BATCH_SIZE))
                .batchMaxWaitMillis(config.get(MigrationOptions.TARGET_BATCH_MAX_WAIT_MS))
                .maxRetries(config.get(MigrationOptions.TARGET_MAX_RETRIES))
                .retryBackoffMillis(config.get(MigrationOptions.TARGET_RETRY_BACKOFF_MS))
                .build();
    }
}
