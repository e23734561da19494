package io.mongoresume.job.topology;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.ExecutionCheckpointingOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import javax.annotation.Nullable;

import java.util.List;
import java.util.UUID;

import io.mongoresume.connectors.cdc.ChangeStreamSource;
import io.mongoresume.connectors.cdc.StartPosition;
import io.mongoresume.connectors.common.StartGate;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.event.MigrationEventTypeInfo;
import io.mongoresume.connectors.sink.MongoMigrationSink;
import io.mongoresume.connectors.snapshot.MongoSnapshotSource;
import io.mongoresume.connectors.snapshot.MongoSnapshotSourceBuilder;
import io.mongoresume.connectors.snapshot.reader.MarkerRouting;
import io.mongoresume.connectors.target.TargetOwnership;
import io.mongoresume.connectors.target.TargetPreparer;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.config.MigrationOptions;
import io.mongoresume.job.config.SyncType;
import io.mongoresume.job.merge.MergeWatermarks;
import io.mongoresume.job.merge.SnapshotCdcMergeFunction;
import io.mongoresume.job.merge.SnapshotCdcMergeOperator;

import static org.apache.flink.util.Preconditions.checkNotNull;

/** Assembles the job graph from validated options. It connects to nothing itself. */
public final class MigrationJob {

    /** Fixed so that keyed state in savepoints stays restorable when parallelism changes. */
    public static final int MAX_PARALLELISM = MigrationConfig.DEFAULT_MAX_PARALLELISM;

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

    /**
     * Adds the migration pipeline for the given (already resolved) collections to the environment.
     *
     * @param startPosition where change streams start on a fresh start ({@link ChangeStreamStart}); null
     *     when the sync type has none
     */
    public static void build(
            StreamExecutionEnvironment env,
            MigrationConfig config,
            List<String> collections,
            @Nullable StartPosition startPosition) {
        env.configure(flinkConfiguration(config));
        // A stop without a target directory (REST, `flink stop`) then still writes to savepoint.dir.
        env.setDefaultSavepointDirectory(config.get(MigrationOptions.SAVEPOINT_DIR));
        SyncType sync = config.get(MigrationOptions.SYNC_TYPE);
        int writers = config.get(MigrationOptions.TARGET_WRITERS);
        // Names the migration if it starts now; every operator that uses it keeps the id of its first start in
        // its state (its claim on the target, the record that the target is prepared, which the change
        // streams wait for), so a resumed job continues under the id it began with.
        String migrationId = UUID.randomUUID().toString();
        TargetOwnership ownership = ownership(config);
        TargetPreparer preparer = targetPreparer(config, ownership);

        DataStream<MigrationEvent> rows =
                sync.hasSnapshot() ? snapshot(env, config, collections, preparer, migrationId) : null;
        // The change streams of full+incremental wait for the target preparation: a change written before its
        // collection is cleared or dropped would go with it.
        String sourceDatabase = config.sourceDatabase();
        List<String> selected = List.copyOf(collections);
        StartGate gate =
                rows != null
                        ? id -> preparer.isComplete(id, sourceDatabase)
                        // Without a snapshot the change streams are the first to write: they claim the target.
                        : id -> {
                            preparer.claim(id, sourceDatabase, selected);
                            return true;
                        };
        // DDL is filtered before the merge: a drop the merge sees is one the target applies.
        DataStream<MigrationEvent> changes =
                sync.hasChangeStream()
                        ? withoutDdl(
                                changeStreams(
                                        env,
                                        config,
                                        collections,
                                        checkNotNull(startPosition),
                                        gate,
                                        migrationId),
                                config)
                        : null;

        KeyedStream<MigrationEvent, String> toSink;
        if (rows != null && changes != null) {
            // Merge and sink share parallelism and key selector, so the merge's output is already
            // partitioned for the sink: forward it (chained) instead of shuffling again.
            DataStream<MigrationEvent> merged =
                    rows.connect(changes)
                            .keyBy(new EventKeySelector(), new EventKeySelector())
                            .transform(
                                    "Merge snapshot + change streams by _id",
                                    MigrationEventTypeInfo.INSTANCE,
                                    new SnapshotCdcMergeOperator(new SnapshotCdcMergeFunction()))
                            .uid(OperatorUids.MERGE)
                            .name("Merge snapshot + change streams by _id")
                            .setParallelism(writers);
            toSink =
                    DataStreamUtils.reinterpretAsKeyedStream(
                            merged, new EventKeySelector(), Types.STRING);
        } else {
            toSink = (rows != null ? rows : changes).keyBy(new EventKeySelector(), Types.STRING);
        }
        // Chained to the sink: a resume whose job file changed what cannot change, or onto a target another
        // migration owns, fails here, before the first write.
        BreakpointGuard guard =
                new BreakpointGuard(
                        PlanRecord.of(config),
                        migrationId,
                        ownership,
                        BreakpointGuard.namespaces(config.targetDatabase(), collections));
        toSink.process(guard, MigrationEventTypeInfo.INSTANCE)
                .uid(OperatorUids.BREAKPOINT_GUARD)
                .name("Check the job file and the target's owner")
                .setParallelism(writers)
                .sinkTo(sink(config))
                .uid(OperatorUids.SINK)
                .name("MongoDB sink -> " + config.targetDatabase())
                .setParallelism(writers);
    }

    private static DataStream<MigrationEvent> snapshot(
            StreamExecutionEnvironment env,
            MigrationConfig config,
            List<String> collections,
            TargetPreparer preparer,
            String migrationId) {
        MongoSnapshotSourceBuilder builder = MongoSnapshotSource.builder();
        boolean followsChanges = config.get(MigrationOptions.SYNC_TYPE).hasChangeStream();
        if (followsChanges && !config.selectsByList()) {
            // Collections that appear while the job runs are found by the regex, as the change streams find them.
            builder.collectionRegex(config.collectionRegex());
        } else {
            builder.collections(collections);
        }
        if (followsChanges) {
            // Beside a change stream the snapshot stays open: for collections that appear later, and to tell
            // the merge (every subtask of it) when a collection is read in full.
            builder.continuous(
                    markerRouting(config), config.get(MigrationOptions.CDC_DISCOVERY_INTERVAL).toMillis());
        }
        MongoSnapshotSource snapshot =
                builder.connection(config.sourceConnection())
                        .database(config.sourceDatabase())
                        .partitionStrategy(config.get(MigrationOptions.SNAPSHOT_PARTITION_STRATEGY))
                        .partitionSize(config.get(MigrationOptions.SNAPSHOT_PARTITION_SIZE))
                        .partitionCount(config.get(MigrationOptions.SNAPSHOT_PARTITION_COUNT))
                        .batchReadLimit(config.get(MigrationOptions.SNAPSHOT_BATCH_READ_LIMIT))
                        .splitQueryMode(config.get(MigrationOptions.SNAPSHOT_SPLIT_QUERY))
                        .fetchSize(config.get(MigrationOptions.SNAPSHOT_FETCH_SIZE))
                        .noCursorTimeout(config.get(MigrationOptions.SNAPSHOT_NO_CURSOR_TIMEOUT))
                        .readConcern(config.get(MigrationOptions.SOURCE_READ_CONCERN))
                        .collectionPreparer(preparer)
                        .migrationId(migrationId)
                        .build();
        return env.fromSource(
                        snapshot,
                        MergeWatermarks.snapshot(),
                        "Snapshot " + config.sourceDatabase(),
                        MigrationEventTypeInfo.INSTANCE)
                .uid(OperatorUids.SNAPSHOT_SOURCE)
                .setParallelism(config.get(MigrationOptions.SNAPSHOT_READERS));
    }

    /** The merge's parallelism and max parallelism, exactly as keyBy will route by them. */
    private static MarkerRouting markerRouting(MigrationConfig config) {
        int writers = config.get(MigrationOptions.TARGET_WRITERS);
        boolean flinkChooses =
                config.flinkOptions().getOptional(PipelineOptions.MAX_PARALLELISM).orElse(0) == -1;
        return new MarkerRouting(
                writers,
                flinkChooses
                        ? org.apache.flink.runtime.state.KeyGroupRangeAssignment
                                .computeDefaultMaxParallelism(writers)
                        : config.maxParallelism());
    }

    private static DataStream<MigrationEvent> changeStreams(
            StreamExecutionEnvironment env,
            MigrationConfig config,
            List<String> collections,
            StartPosition startPosition,
            StartGate gate,
            String migrationId) {
        ChangeStreamSource.Builder builder =
                ChangeStreamSource.builder()
                        .connection(config.sourceConnection())
                        .database(config.sourceDatabase())
                        .startPosition(startPosition)
                        .startGate(gate)
                        .migrationId(migrationId)
                        .fullDocument(config.get(MigrationOptions.CDC_FULL_DOCUMENT))
                        .discoveryIntervalMillis(
                                config.get(MigrationOptions.CDC_DISCOVERY_INTERVAL).toMillis());
        if (config.selectsByList()) {
            builder.collections(collections);
        } else {
            builder.collectionRegex(config.collectionRegex());
        }
        return env.fromSource(
                        builder.build(),
                        MergeWatermarks.changeStream(),
                        "Change streams " + config.sourceDatabase(),
                        MigrationEventTypeInfo.INSTANCE)
                .uid(OperatorUids.CHANGE_STREAM_SOURCE)
                .setParallelism(config.get(MigrationOptions.CDC_READERS))
                .setBufferTimeout(cdcBufferTimeout(config));
    }

    /** A trickle of changes would otherwise wait up to Flink's default 100 ms per buffer before the merge. */
    private static long cdcBufferTimeout(MigrationConfig config) {
        return config.get(MigrationOptions.CDC_BUFFER_TIMEOUT).toMillis();
    }

    private static DataStream<MigrationEvent> withoutDdl(
            DataStream<MigrationEvent> changes, MigrationConfig config) {
        if (config.get(MigrationOptions.DDL_ENABLED)) {
            return changes;
        }
        return changes.filter(new DdlFilter())
                .name("Skip DDL (ddl.enabled=false)")
                .setParallelism(config.get(MigrationOptions.CDC_READERS))
                // Chained to the source: this operator's buffer timeout is the one of the branch's output.
                .setBufferTimeout(cdcBufferTimeout(config));
    }

    public static TargetOwnership ownership(MigrationConfig config) {
        return new TargetOwnership(
                config.targetConnection(),
                config.jobName(),
                config.sourceConnection().maskedUri() + " " + config.sourceDatabase(),
                config.get(MigrationOptions.TARGET_OWNERSHIP_LEASE).toMillis(),
                config.get(MigrationOptions.TARGET_TAKE_OVER));
    }

    static TargetPreparer targetPreparer(MigrationConfig config, TargetOwnership ownership) {
        return TargetPreparer.builder()
                .ownership(ownership)
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
                .writePolicy(config.writePolicy())
                .onWriteError(config.get(MigrationOptions.TARGET_ON_WRITE_ERROR))
                .writeConcern(config.targetWriteConcern())
                .processingTimeAlert(
                        config.get(MigrationOptions.ALERT_PROCESSING_TIME_THRESHOLD).toMillis(),
                        config.get(MigrationOptions.ALERT_PROCESSING_TIME_DURATION).toMillis())
                .build();
    }
}
