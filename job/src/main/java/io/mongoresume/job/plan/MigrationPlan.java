package io.mongoresume.job.plan;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.config.SyncType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Everything a migration job is built from, read once from the validated configuration: what is
 * copied (the selection), from where to where, immutable settings for the snapshot, the change
 * streams, the sink and the target, where the change streams start, and how Flink runs it. Every
 * entry point (the cluster's {@code main}, {@code run}, the demo, benchmarks, test helpers) builds
 * the job from a plan; nothing after it reads the raw options.
 *
 * @param mergeEnabled whether snapshot rows and change events are merged (false only for
 *     sync.type=full)
 * @param stateDirectories the checkpoint and savepoint locations by option key (checkpoint.dir,
 *     savepoint.dir)
 * @param maskedOptions the options as given, secrets masked: for logs and the summary
 * @param effectiveOptions the effective value of every option (defaults included, secrets masked),
 *     as the breakpoint records them; see {@link #RESUME_FIXED_OPTIONS}
 */
public record MigrationPlan(
        SyncType sync,
        CollectionSelection selection,
        MongoConnectionOptions sourceConnection,
        TargetPlan target,
        SnapshotPlan snapshot,
        ChangeStreamPlan changeStreams,
        SinkPlan sink,
        StartPolicy start,
        RuntimePlan runtime,
        boolean mergeEnabled,
        Map<String, String> stateDirectories,
        Map<String, String> maskedOptions,
        Map<String, String> effectiveOptions) {

    public MigrationPlan {
        stateDirectories = Collections.unmodifiableMap(new LinkedHashMap<>(stateDirectories));
        maskedOptions = Collections.unmodifiableMap(new LinkedHashMap<>(maskedOptions));
        effectiveOptions = Collections.unmodifiableMap(new LinkedHashMap<>(effectiveOptions));
    }

    /** The plan of a validated configuration. */
    public static MigrationPlan of(MigrationConfig config) {
        return PlanReader.read(config);
    }

    /**
     * Loads, validates and plans a job file (may be null) with {@code --set key=value} overrides.
     */
    public static MigrationPlan load(java.nio.file.Path file, java.util.List<String> overrides) {
        return of(io.mongoresume.job.config.JobConfigLoader.load(file, overrides));
    }

    /** Parses, validates and plans raw options (as a job file and {@code --set} give them). */
    public static MigrationPlan fromRaw(Map<String, String> raw) {
        return of(MigrationConfig.fromRaw(raw));
    }

    public String sourceDatabase() {
        return selection.database();
    }

    public MongoConnectionOptions targetConnection() {
        return target.connection();
    }

    /** The target database (the source database's name unless target.database says otherwise). */
    public String targetDatabase() {
        return target.database();
    }

    public String jobName() {
        return runtime.jobName();
    }

    /**
     * Options a resume must keep: they decide which documents go where, so a resume with another
     * value would read from or write to other places than its breakpoint describes, or skip
     * changes.
     */
    public static final Set<String> RESUME_FIXED_OPTIONS = PlanReader.RESUME_FIXED_OPTIONS;

    /**
     * Options a resume may change for collections not yet partitioned (the snapshot source checks
     * them).
     */
    public static final String PARTITION_OPTIONS_PREFIX = "snapshot.partition.";
}
