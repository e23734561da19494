package io.mongoresume.job.plan;

import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.common.selection.NamespacePattern;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.config.MigrationOptions;
import io.mongoresume.job.config.SyncType;
import org.bson.BsonDocument;

import java.util.List;
import java.util.Set;

/**
 * Reads a validated configuration into a {@link MigrationPlan}: the one reader of the option keys.
 */
final class PlanReader {

    /**
     * source.database stays: the state of a breakpoint taken with the shorthand names its
     * collections relative to it. The selection itself (source.collections, -regex,
     * source.namespaces, source.exclude) may change: the sources start what is new and forget what
     * was left out.
     */
    static final Set<String> RESUME_FIXED_OPTIONS =
            Set.of(
                    MigrationOptions.SOURCE_DATABASE.key(),
                    MigrationOptions.TARGET_DATABASE.key(),
                    MigrationOptions.TARGET_NAMESPACE_MAP.key(),
                    MigrationOptions.SYNC_TYPE.key());

    private PlanReader() {}

    static MigrationPlan read(MigrationConfig config) {
        SyncType sync = config.get(MigrationOptions.SYNC_TYPE);
        return new MigrationPlan(
                sync,
                selection(config),
                config.sourceConnection(),
                target(config),
                snapshot(config),
                changeStreams(config),
                sink(config),
                start(config, sync),
                runtime(config),
                config.get(MigrationOptions.MERGE_ENABLED),
                stateDirectories(config),
                config.maskedOptions(),
                config.effectiveValues());
    }

    /**
     * The shorthand when source.database is set, else the namespace form (no pattern: every user
     * database); source.exclude applies to both.
     */
    private static CollectionSelection selection(MigrationConfig config) {
        List<NamespacePattern> excludes = config.excludePatterns();
        String database = config.sourceDatabase();
        if (database == null) {
            return CollectionSelection.namespaces(config.namespacePatterns(), excludes);
        }
        CollectionSelection shorthand;
        List<String> list = config.get(MigrationOptions.SOURCE_COLLECTIONS);
        String regex = config.get(MigrationOptions.SOURCE_COLLECTION_REGEX);
        if (list != null && !list.isEmpty()) {
            shorthand = CollectionSelection.of(database, list);
        } else {
            shorthand =
                    regex != null
                            ? CollectionSelection.matching(database, regex)
                            : CollectionSelection.everything(database);
        }
        return excludes.isEmpty() ? shorthand : shorthand.excluding(excludes);
    }

    private static TargetPlan target(MigrationConfig config) {
        return new TargetPlan(
                config.targetConnection(),
                config.targetDatabase(),
                config.namespaceMap(),
                config.get(MigrationOptions.TARGET_EXISTING_DATA),
                config.get(MigrationOptions.TARGET_COPY_INDEXES),
                config.get(MigrationOptions.TARGET_OWNERSHIP_LEASE),
                config.get(MigrationOptions.TARGET_TAKE_OVER));
    }

    private static SnapshotPlan snapshot(MigrationConfig config) {
        return new SnapshotPlan(
                config.get(MigrationOptions.SNAPSHOT_READERS),
                config.get(MigrationOptions.SNAPSHOT_PARTITION_STRATEGY),
                config.get(MigrationOptions.SNAPSHOT_PARTITION_SIZE),
                config.get(MigrationOptions.SNAPSHOT_PARTITION_COUNT),
                config.get(MigrationOptions.SNAPSHOT_BATCH_READ_LIMIT),
                config.get(MigrationOptions.SNAPSHOT_SPLIT_QUERY),
                config.get(MigrationOptions.SNAPSHOT_FETCH_SIZE),
                config.get(MigrationOptions.SNAPSHOT_NO_CURSOR_TIMEOUT),
                config.get(MigrationOptions.SOURCE_READ_CONCERN));
    }

    private static ChangeStreamPlan changeStreams(MigrationConfig config) {
        return new ChangeStreamPlan(
                config.get(MigrationOptions.CDC_READERS),
                config.get(MigrationOptions.CDC_FULL_DOCUMENT),
                config.get(MigrationOptions.CDC_DISCOVERY_INTERVAL),
                config.get(MigrationOptions.CDC_BUFFER_TIMEOUT),
                config.get(MigrationOptions.DDL_ENABLED));
    }

    private static SinkPlan sink(MigrationConfig config) {
        return new SinkPlan(
                config.get(MigrationOptions.TARGET_WRITERS),
                config.get(MigrationOptions.TARGET_BATCH_SIZE),
                config.get(MigrationOptions.TARGET_BATCH_MAX_WAIT_MS),
                config.get(MigrationOptions.TARGET_MAX_RETRIES),
                config.get(MigrationOptions.TARGET_RETRY_BACKOFF_MS),
                config.writePolicy(),
                config.get(MigrationOptions.TARGET_ON_WRITE_ERROR),
                config.targetWriteConcern(),
                config.get(MigrationOptions.ALERT_PROCESSING_TIME_THRESHOLD).toMillis(),
                config.get(MigrationOptions.ALERT_PROCESSING_TIME_DURATION).toMillis());
    }

    private static StartPolicy start(MigrationConfig config, SyncType sync) {
        java.time.Duration margin = config.get(MigrationOptions.CDC_START_MARGIN);
        if (!sync.hasChangeStream()) {
            return new StartPolicy(StartPolicy.Kind.NONE, null, null, margin, null);
        }
        if (sync == SyncType.FULL_INCREMENTAL) {
            return new StartPolicy(StartPolicy.Kind.BEFORE_SNAPSHOT, null, null, margin, null);
        }
        if (config.cdcStartAt() != null) {
            return new StartPolicy(
                    StartPolicy.Kind.AT_TIME,
                    config.cdcStartAt(),
                    null,
                    margin,
                    MigrationOptions.CDC_START_AT.key());
        }
        String token = config.get(MigrationOptions.CDC_RESUME_TOKEN);
        if (token != null) {
            return new StartPolicy(
                    StartPolicy.Kind.AFTER_TOKEN,
                    null,
                    BsonDocument.parse(token),
                    margin,
                    MigrationOptions.CDC_RESUME_TOKEN.key());
        }
        return new StartPolicy(StartPolicy.Kind.NOW, null, null, margin, null);
    }

    private static java.util.Map<String, String> stateDirectories(MigrationConfig config) {
        java.util.Map<String, String> dirs = new java.util.LinkedHashMap<>();
        for (org.apache.flink.configuration.ConfigOption<String> option :
                List.of(MigrationOptions.CHECKPOINT_DIR, MigrationOptions.SAVEPOINT_DIR)) {
            dirs.put(option.key(), config.get(option));
        }
        return dirs;
    }

    private static RuntimePlan runtime(MigrationConfig config) {
        return new RuntimePlan(
                config.jobName(),
                config.get(MigrationOptions.CHECKPOINT_INTERVAL),
                config.get(MigrationOptions.CHECKPOINT_DIR),
                config.get(MigrationOptions.SAVEPOINT_DIR),
                config.flinkOptions(),
                config.maxParallelism(),
                config.flinkOptions()
                                .getOptional(
                                        org.apache.flink.configuration.PipelineOptions
                                                .MAX_PARALLELISM)
                                .orElse(0)
                        == -1);
    }
}
