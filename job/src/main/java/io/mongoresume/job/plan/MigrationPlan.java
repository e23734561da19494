package io.mongoresume.job.plan;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.config.SyncType;

import javax.annotation.Nullable;

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

    /**
     * The shorthand's source database; null when the selection spans databases (iterate its
     * namespaces instead).
     */
    @Nullable
    public String sourceDatabase() {
        return selection.homeDatabase();
    }

    /** What the job reads, for names and logs: the shorthand's database, or the patterns. */
    public String sourceDescription() {
        return selection.isShorthand() ? selection.database() : selection.toString();
    }

    /**
     * A source namespace as reports name it: the shorthand's collections by their name alone (as
     * they always were), namespaces across databases in full.
     */
    public String label(String namespace) {
        String home = selection.homeDatabase();
        return home != null && CollectionSelection.databaseOf(namespace).equals(home)
                ? CollectionSelection.collectionOf(namespace)
                : namespace;
    }

    public MongoConnectionOptions targetConnection() {
        return target.connection();
    }

    /**
     * The target database (the source database's name unless target.database says otherwise); null
     * across databases without target.database (each keeps its name).
     */
    @Nullable
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
