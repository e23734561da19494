package io.mongoresume.job.topology;

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

import io.mongoresume.connectors.cdc.ChangeStreamSource;
import io.mongoresume.connectors.cdc.offset.StartPosition;
import io.mongoresume.connectors.common.StartGate;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.common.selection.NamespacePattern;
import io.mongoresume.connectors.destination.TargetOwnership;
import io.mongoresume.connectors.destination.TargetPreparer;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.event.MigrationEventTypeInfo;
import io.mongoresume.connectors.sink.MongoMigrationSink;
import io.mongoresume.connectors.snapshot.MongoSnapshotSource;
import io.mongoresume.connectors.snapshot.MongoSnapshotSourceBuilder;
import io.mongoresume.connectors.snapshot.reader.MarkerRouting;
import io.mongoresume.job.config.SyncType;
import io.mongoresume.job.merge.MergeWatermarks;
import io.mongoresume.job.merge.SnapshotCdcMergeFunction;
import io.mongoresume.job.merge.SnapshotCdcMergeOperator;
import io.mongoresume.job.plan.MigrationPlan;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.apache.flink.util.Preconditions.checkNotNull;

/** Assembles the job graph from validated options. It connects to nothing itself. */
public final class MigrationJob {

    /** How many source databases a source's vertex name lists. */
    private static final int VERTEX_DATABASES = 3;

    /** Fixed so that keyed state in savepoints stays restorable when parallelism changes. */
    public static final int MAX_PARALLELISM =
            io.mongoresume.job.config.MigrationConfig.DEFAULT_MAX_PARALLELISM;

    private MigrationJob() {}

    /**
     * Job-level Flink settings: checkpointing, RocksDB with incremental checkpoints, no Kryo
     * fallback. Flink options from the job file ({@code flink.*}) override these.
     */
    public static Configuration flinkConfiguration(MigrationPlan plan) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, plan.runtime().checkpointDir());
        conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, plan.runtime().savepointDir());
        conf.set(
                ExecutionCheckpointingOptions.CHECKPOINTING_INTERVAL,
                plan.runtime().checkpointInterval());
        conf.set(
                ExecutionCheckpointingOptions.EXTERNALIZED_CHECKPOINT,
                org.apache.flink.streaming.api.environment.CheckpointConfig
                        .ExternalizedCheckpointCleanup.RETAIN_ON_CANCELLATION);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.MAX_PARALLELISM, MAX_PARALLELISM);
        conf.set(PipelineOptions.NAME, plan.jobName());
        conf.addAll(plan.runtime().flinkOptions());
        return conf;
    }

    /**
     * Checks the plan ({@link CheckedPlan#check}) and adds the pipeline: what every entry point
     * does.
     */
    public static CheckedPlan build(
            StreamExecutionEnvironment env, MigrationPlan plan, boolean resuming) {
        CheckedPlan checked = CheckedPlan.check(plan, resuming);
        build(env, checked);
        return checked;
    }

    /** Adds the pipeline of a checked plan to the environment. */
    public static void build(StreamExecutionEnvironment env, CheckedPlan checked) {
        build(env, checked.plan(), checked.namespaces(), checked.start());
    }

    /**
     * Adds the migration pipeline for the given (already resolved) source namespaces ({@code
     * db.collection}) to the environment.
     *
     * @param startPosition where change streams start on a fresh start ({@link
     *     io.mongoresume.job.plan.StartPolicy}); null when the sync type has none
     */
    public static void build(
            StreamExecutionEnvironment env,
            MigrationPlan plan,
            List<String> namespaces,
            @Nullable StartPosition startPosition) {
        env.configure(flinkConfiguration(plan));
        // A stop without a target directory (REST, `flink stop`) then still writes to
        // savepoint.dir.
        env.setDefaultSavepointDirectory(plan.runtime().savepointDir());
        SyncType sync = plan.sync();
        int writers = plan.sink().writers();
        // Names the migration if it starts now; every operator that uses it keeps the id of its
        // first start in
        // its state (its claim on the target, the record that the target is prepared, which the
        // change
        // streams wait for), so a resumed job continues under the id it began with.
        String migrationId = UUID.randomUUID().toString();
        TargetOwnership ownership = ownership(plan);
        TargetPreparer preparer = targetPreparer(plan, ownership);

        DataStream<MigrationEvent> rows =
                sync.hasSnapshot() ? snapshot(env, plan, namespaces, preparer, migrationId) : null;
        // The change streams of full+incremental wait for the target preparation: a change written
        // before its
        // collection is cleared or dropped would go with it.
        // Per source database: the shorthand's, or each database selected at this start.
        Map<String, List<String>> byDatabase = byDatabase(plan, namespaces);
        StartGate gate =
                rows != null
                        ? id -> {
                            for (String database : byDatabase.keySet()) {
                                if (!preparer.isComplete(id, database)) {
                                    return false;
                                }
                            }
                            return true;
                        }
                        // Without a snapshot the change streams are the first to write: they claim
                        // the target.
                        : id -> {
                            byDatabase.forEach(
                                    (database, collections) ->
                                            preparer.claim(id, database, collections));
                            return true;
                        };
        // DDL is filtered before the merge: a drop the merge sees is one the target applies.
        DataStream<MigrationEvent> changes =
                sync.hasChangeStream()
                        ? withoutDdl(
                                changeStreams(
                                        env,
                                        plan,
                                        namespaces,
                                        checkNotNull(startPosition),
                                        gate,
                                        migrationId),
                                plan)
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
                                    new SnapshotCdcMergeOperator(
                                            new SnapshotCdcMergeFunction(plan.selection())))
                            .uid(OperatorUids.MERGE)
                            .name("Merge snapshot + change streams by _id")
                            .setParallelism(writers);
            toSink =
                    DataStreamUtils.reinterpretAsKeyedStream(
                            merged, new EventKeySelector(), Types.STRING);
        } else {
            toSink = (rows != null ? rows : changes).keyBy(new EventKeySelector(), Types.STRING);
        }
        // Chained to the sink: a resume whose job file changed what cannot change, or onto a target
        // another
        // migration owns, fails here, before the first write.
        BreakpointGuard guard =
                new BreakpointGuard(
                        PlanRecord.of(plan),
                        migrationId,
                        ownership,
                        plan.target().namespaces(namespaces));
        toSink.process(guard, MigrationEventTypeInfo.INSTANCE)
                .uid(OperatorUids.BREAKPOINT_GUARD)
                .name("Check the job file and the target's owner")
                .setParallelism(writers)
                .sinkTo(sink(plan))
                .uid(OperatorUids.SINK)
                .name(sinkName(plan))
                .setParallelism(writers);
    }

    private static DataStream<MigrationEvent> snapshot(
            StreamExecutionEnvironment env,
            MigrationPlan plan,
            List<String> namespaces,
            TargetPreparer preparer,
            String migrationId) {
        MongoSnapshotSourceBuilder builder = MongoSnapshotSource.builder();
        boolean followsChanges = plan.sync().hasChangeStream();
        // Beside a change stream, collections that appear while the job runs are found by the
        // selection, as
        // the change streams find them; a full copy reads what was there at the start.
        builder.selection(followsChanges ? plan.selection() : atStart(plan, namespaces));
        if (followsChanges) {
            // Beside a change stream the snapshot stays open: for collections that appear later,
            // and to tell
            // the merge (every subtask of it) when a collection is read in full.
            builder.continuous(
                    markerRouting(plan), plan.changeStreams().discoveryInterval().toMillis());
        }
        MongoSnapshotSource snapshot =
                builder.connection(plan.sourceConnection())
                        .partitionStrategy(plan.snapshot().partitionStrategy())
                        .partitionSize(plan.snapshot().partitionSize())
                        .partitionCount(plan.snapshot().partitionCount())
                        .batchReadLimit(plan.snapshot().batchReadLimit())
                        .splitQueryMode(plan.snapshot().splitQueryMode())
                        .fetchSize(plan.snapshot().fetchSize())
                        .noCursorTimeout(plan.snapshot().noCursorTimeout())
                        .readConcern(plan.snapshot().readConcern())
                        .collectionPreparer(preparer)
                        .migrationId(migrationId)
                        .build();
        return env.fromSource(
                        snapshot,
                        MergeWatermarks.snapshot(),
                        "Snapshot " + vertexDatabases(plan, namespaces),
                        MigrationEventTypeInfo.INSTANCE)
                .uid(OperatorUids.SNAPSHOT_SOURCE)
                .setParallelism(plan.snapshot().readers());
    }

    /**
     * The collections selected at this start by source database: the shorthand's database (also
     * when it has no collection yet), or each database of {@code namespaces}.
     */
    public static Map<String, List<String>> byDatabase(
            MigrationPlan plan, List<String> namespaces) {
        Map<String, List<String>> byDatabase = new TreeMap<>();
        if (plan.selection().isShorthand()) {
            byDatabase.put(plan.sourceDatabase(), new ArrayList<>());
        }
        for (String ns : namespaces) {
            byDatabase
                    .computeIfAbsent(CollectionSelection.databaseOf(ns), d -> new ArrayList<>())
                    .add(CollectionSelection.collectionOf(ns));
        }
        return byDatabase;
    }

    /**
     * What a full copy reads: the namespaces there at the start. The shorthand keeps its database
     * list; across databases each namespace is a pattern that matches it alone.
     */
    private static CollectionSelection atStart(MigrationPlan plan, List<String> namespaces) {
        if (plan.selection().isShorthand()) {
            List<String> collections = new ArrayList<>();
            namespaces.forEach(ns -> collections.add(CollectionSelection.collectionOf(ns)));
            return CollectionSelection.of(plan.sourceDatabase(), collections);
        }
        List<NamespacePattern> exact = new ArrayList<>();
        for (String ns : namespaces) {
            boolean wildcards = ns.indexOf('*') >= 0 || ns.indexOf('?') >= 0;
            exact.add(
                    NamespacePattern.parse(
                            wildcards ? "/" + Pattern.quote(ns) + "/" : ns,
                            CollectionSelection.NAMESPACES_OPTION));
        }
        return CollectionSelection.namespaces(exact, List.of());
    }

    /**
     * The source databases in the snapshot's vertex name ({@code Snapshot shop} or {@code Snapshot
     * crm,shop}): {@code status} strips them from metric names to group collections by database.
     */
    static String vertexDatabases(MigrationPlan plan, List<String> namespaces) {
        List<String> databases = new ArrayList<>(byDatabase(plan, namespaces).keySet());
        if (databases.size() <= VERTEX_DATABASES) {
            return String.join(",", databases);
        }
        // Names stay readable (and within what metric reporters keep) with many databases; status
        // learns the rest from the enumerator's per-database gauges.
        return String.join(",", databases.subList(0, VERTEX_DATABASES))
                + " +"
                + (databases.size() - VERTEX_DATABASES)
                + " more";
    }

    /**
     * {@code MongoDB sink -> <target database>}, or without one database, that names are mapped.
     */
    private static String sinkName(MigrationPlan plan) {
        return plan.targetDatabase() != null
                ? "MongoDB sink -> " + plan.targetDatabase()
                : "MongoDB sink (namespaces as mapped)";
    }

    /** The merge's parallelism and max parallelism, exactly as keyBy will route by them. */
    private static MarkerRouting markerRouting(MigrationPlan plan) {
        int writers = plan.sink().writers();
        boolean flinkChooses = plan.runtime().flinkChoosesMaxParallelism();
        return new MarkerRouting(
                writers,
                flinkChooses
                        ? org.apache.flink.runtime.state.KeyGroupRangeAssignment
                                .computeDefaultMaxParallelism(writers)
                        : plan.runtime().maxParallelism());
    }

    private static DataStream<MigrationEvent> changeStreams(
            StreamExecutionEnvironment env,
            MigrationPlan plan,
            List<String> namespaces,
            StartPosition startPosition,
            StartGate gate,
            String migrationId) {
        ChangeStreamSource.Builder builder =
                ChangeStreamSource.builder()
                        .connection(plan.sourceConnection())
                        .selection(plan.selection())
                        .startPosition(startPosition)
                        .startGate(gate)
                        .migrationId(migrationId)
                        .namespacesAtStart(namespaces)
                        .fullDocument(plan.changeStreams().fullDocument())
                        .discoveryIntervalMillis(
                                plan.changeStreams().discoveryInterval().toMillis());
        return env.fromSource(
                        builder.build(),
                        MergeWatermarks.changeStream(),
                        "Change streams " + vertexDatabases(plan, namespaces),
                        MigrationEventTypeInfo.INSTANCE)
                .uid(OperatorUids.CHANGE_STREAM_SOURCE)
                .setParallelism(plan.changeStreams().readers())
                .setBufferTimeout(cdcBufferTimeout(plan));
    }

    /**
     * A trickle of changes would otherwise wait up to Flink's default 100 ms per buffer before the
     * merge.
     */
    private static long cdcBufferTimeout(MigrationPlan plan) {
        return plan.changeStreams().bufferTimeout().toMillis();
    }

    private static DataStream<MigrationEvent> withoutDdl(
            DataStream<MigrationEvent> changes, MigrationPlan plan) {
        if (plan.changeStreams().ddlEnabled()) {
            return changes;
        }
        return changes.filter(new DdlFilter())
                .name("Skip DDL (ddl.enabled=false)")
                .setParallelism(plan.changeStreams().readers())
                // Chained to the source: this operator's buffer timeout is the one of the branch's
                // output.
                .setBufferTimeout(cdcBufferTimeout(plan));
    }

    public static TargetOwnership ownership(MigrationPlan plan) {
        return new TargetOwnership(
                plan.targetConnection(),
                plan.jobName(),
                plan.sourceConnection().maskedUri() + " " + plan.sourceDescription(),
                plan.target().ownershipLease().toMillis(),
                plan.target().takeOver());
    }

    static TargetPreparer targetPreparer(MigrationPlan plan, TargetOwnership ownership) {
        return TargetPreparer.builder()
                .ownership(ownership)
                .source(plan.sourceConnection())
                .target(plan.targetConnection())
                .namespaceMap(plan.target().namespaceMap())
                .existingData(plan.target().existingData())
                .copyIndexes(plan.target().copyIndexes())
                .build();
    }

    static MongoMigrationSink sink(MigrationPlan plan) {
        return MongoMigrationSink.builder()
                .connection(plan.targetConnection())
                .namespaceMap(plan.target().namespaceMap())
                .batchSize(plan.sink().batchSize())
                .batchMaxWaitMillis(plan.sink().batchMaxWaitMillis())
                .maxRetries(plan.sink().maxRetries())
                .retryBackoffMillis(plan.sink().retryBackoffMillis())
                .writePolicy(plan.sink().writePolicy())
                .onWriteError(plan.sink().onWriteError())
                .writeConcern(plan.sink().writeConcern())
                .processingTimeAlert(
                        plan.sink().alertThresholdMillis(), plan.sink().alertSustainMillis())
                .build();
    }
}
