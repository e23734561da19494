package io.mongoresume.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import io.mongoresume.connectors.cdc.ChangeStreamSource;
import io.mongoresume.connectors.destination.ExistingDataPolicy;
import io.mongoresume.connectors.sink.MongoMigrationSinkBuilder;
import io.mongoresume.connectors.sink.WriteErrorPolicy;
import io.mongoresume.connectors.sink.WritePolicy;
import io.mongoresume.connectors.snapshot.MongoSnapshotSourceBuilder;
import io.mongoresume.connectors.snapshot.enumerator.partition.PartitionStrategy;
import io.mongoresume.connectors.snapshot.query.SnapshotReadConcern;
import io.mongoresume.connectors.snapshot.query.SplitQueryMode;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every option of a migration job. The keys are the keys of the YAML job file and of {@code --set
 * key=value}; README's option table is generated from these declarations ({@code
 * MigrationOptionsDocTest} keeps it in step).
 */
public final class MigrationOptions {

    private MigrationOptions() {}

    // ---------------------------------------------------------------- source

    public static final ConfigOption<String> SOURCE_URI =
            ConfigOptions.key("source.uri")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Connection string of the source deployment (mongodb:// or mongodb+srv://)."
                                    + " Passwords in it are masked wherever the job prints it.");

    public static final ConfigOption<String> SOURCE_DATABASE =
            ConfigOptions.key("source.database")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The one source database to migrate, with source.collections or"
                                    + " source.collection-regex (the shorthand). Leave it out to select"
                                    + " across databases with source.namespaces; with neither, every user"
                                    + " database is selected (never admin, local, config or system.*"
                                    + " collections). Cannot change at a resume.");

    public static final ConfigOption<List<String>> SOURCE_COLLECTIONS =
            ConfigOptions.key("source.collections")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Collections to migrate (a YAML list, or names separated by ';')."
                                    + " Give this or source.collection-regex; neither means every collection.");

    public static final ConfigOption<String> SOURCE_COLLECTION_REGEX =
            ConfigOptions.key("source.collection-regex")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "A Java regular expression that must match a whole collection name."
                                    + " system.* collections are never selected.");

    public static final ConfigOption<List<String>> SOURCE_NAMESPACES =
            ConfigOptions.key("source.namespaces")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Namespaces to migrate across databases (a YAML list, or patterns separated"
                                    + " by ';'): globs on database.collection (* any run of characters, ?"
                                    + " one; 'shop.*', 'crm.orders') or a Java regex between slashes that"
                                    + " must match the whole namespace ('/^tenant_[0-9]+\\.events$/')."
                                    + " Each pattern must match a collection at the start; databases and"
                                    + " collections that appear later and match are followed. Not with"
                                    + " source.database, source.collections or source.collection-regex.");

    public static final ConfigOption<List<String>> SOURCE_EXCLUDE =
            ConfigOptions.key("source.exclude")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Namespaces never to migrate, in the syntax of source.namespaces ('shop.tmp_*',"
                                    + " '/.*\\.audit$/'); applies to source.namespaces and to the"
                                    + " source.database shorthand.");

    public static final ConfigOption<Duration> SOURCE_TIMEOUT =
            ConfigOptions.key("source.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "How long to wait for the source before failing: server selection and connect,"
                                    + " and each round trip of the snapshot (a batch of snapshot.fetch-size"
                                    + " documents, a query of the partitioner's _id scan), so a stalled source"
                                    + " fails the job instead of hanging it. Not bounded: change streams (their"
                                    + " reads wait on the server by design), the partitioner's counts and the"
                                    + " index copy, which may take long on big collections.");

    public static final ConfigOption<SnapshotReadConcern> SOURCE_READ_CONCERN =
            ConfigOptions.key("source.read-concern")
                    .enumType(SnapshotReadConcern.class)
                    .defaultValue(SnapshotReadConcern.MAJORITY)
                    .withDescription(
                            "Read concern of the snapshot's queries (documents and _id queries). majority"
                                    + " reads only writes a majority of the replica set has, which a failover"
                                    + " cannot roll back; it costs little (the server reads a snapshot that"
                                    + " trails the primary by the replication lag, and keeps more history in"
                                    + " cache while secondaries lag). local and available also read writes a"
                                    + " failover may still roll back: the target would keep documents the"
                                    + " source lost, and no change event would ever remove them. available on"
                                    + " a sharded cluster may also return orphaned documents of chunk"
                                    + " migrations. Change streams always return majority-committed changes"
                                    + " only.");

    // ---------------------------------------------------------------- target

    public static final ConfigOption<String> TARGET_URI =
            ConfigOptions.key("target.uri")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Connection string of the target deployment.");

    public static final ConfigOption<String> TARGET_DATABASE =
            ConfigOptions.key("target.database")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The target database of every source database (the namespace map's fallback)."
                                    + " Default: each source database's own name.");

    public static final ConfigOption<List<String>> TARGET_NAMESPACE_MAP =
            ConfigOptions.key("target.namespace-map")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Rules 'source-pattern -> target' that rename namespaces on the way (a YAML"
                                    + " list, or rules separated by ';'), e.g. 'shop.* -> shop_v2.*' or"
                                    + " 'crm.orders -> sales.orders'. The source is a glob on"
                                    + " database.collection or a regex between slashes; the target's *"
                                    + " takes what the source's wildcards matched, in order ($1, $2 for a"
                                    + " regex's groups). The first rule that matches wins; other"
                                    + " namespaces go to target.database, or keep their names. Applies to"
                                    + " documents, change events, indexes, collection options, DDL, verify"
                                    + " and status. Two source namespaces onto one target, or onto a"
                                    + " selected source namespace of the same deployment, are refused"
                                    + " before the start.");

    public static final ConfigOption<ExistingDataPolicy> TARGET_EXISTING_DATA =
            ConfigOptions.key("target.existing-data")
                    .enumType(ExistingDataPolicy.class)
                    .defaultValue(ExistingDataPolicy.KEEP)
                    .withDescription(
                            "What to do with documents already in a target collection, once, when the"
                                    + " job first starts (never again on a resume).");

    public static final ConfigOption<Boolean> TARGET_COPY_INDEXES =
            ConfigOptions.key("target.copy-indexes")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Create the source collections' indexes on the target before writing data.");

    public static final ConfigOption<Integer> TARGET_WRITERS =
            ConfigOptions.key("target.writers")
                    .intType()
                    .defaultValue(8)
                    .withDescription(
                            "Parallel writers (sink parallelism)."
                                    + " At most the job's max parallelism: 128, or flink.pipeline.max-parallelism.");

    public static final ConfigOption<Integer> TARGET_BATCH_SIZE =
            ConfigOptions.key("target.batch-size")
                    .intType()
                    .defaultValue(1000)
                    .withDescription("Writes per bulk request.");

    public static final ConfigOption<Long> TARGET_BATCH_MAX_WAIT_MS =
            ConfigOptions.key("target.batch-max-wait-ms")
                    .longType()
                    .defaultValue(MongoMigrationSinkBuilder.DEFAULT_BATCH_MAX_WAIT_MILLIS)
                    .withDescription(
                            "Longest time a write waits in a batch before it is sent; -1 waits for a full"
                                    + " batch or a checkpoint.");

    public static final ConfigOption<Integer> TARGET_MAX_RETRIES =
            ConfigOptions.key("target.max-retries")
                    .intType()
                    .defaultValue(3)
                    .withDescription("Retries of a failed bulk request before the job fails.");

    public static final ConfigOption<Long> TARGET_RETRY_BACKOFF_MS =
            ConfigOptions.key("target.retry-backoff-ms")
                    .longType()
                    .defaultValue(500L)
                    .withDescription(
                            "Wait before the first retry; each further retry waits this much longer.");

    public static final ConfigOption<String> TARGET_WRITE_CONCERN =
            ConfigOptions.key("target.write-concern")
                    .stringType()
                    .defaultValue("majority")
                    .withDescription(
                            "Write concern of every write to the target (bulk writes, collection create and"
                                    + " drop), always journaled (j: true); it replaces a w or journal given in"
                                    + " target.uri. majority: a write counts as done once a majority of the"
                                    + " replica set has it in its journal, so a primary failover cannot roll"
                                    + " back writes a checkpoint already counts; each bulk waits for that"
                                    + " replication round trip. A number of members (1, 2, ...): 1 (the"
                                    + " primary alone) is faster, but a failover can roll back acknowledged"
                                    + " writes, which the job would never write again; more members than a"
                                    + " majority stall writes while one of them is down. 0 (unacknowledged) is"
                                    + " not allowed.");

    public static final ConfigOption<Duration> TARGET_TIMEOUT =
            ConfigOptions.key("target.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "How long one attempt of a request to the target may take in all (server"
                                    + " selection, connection, the write and its acknowledgement) before it is"
                                    + " retried (target.max-retries), so a stalled target fails the job, or a"
                                    + " stop-with-savepoint, after about (timeout + back-off) × attempts. 30 s,"
                                    + " because each bulk waits until a majority has journaled it, which on a"
                                    + " loaded replica set with lagging secondaries can take seconds. Target"
                                    + " preparation (clearing or dropping existing data, creating indexes) waits"
                                    + " only for server selection and connect.");

    public static final ConfigOption<WriteErrorPolicy> TARGET_ON_WRITE_ERROR =
            ConfigOptions.key("target.on-write-error")
                    .enumType(WriteErrorPolicy.class)
                    .defaultValue(WriteErrorPolicy.FAIL)
                    .withDescription(
                            "What to do with a write the target refuses for good (a duplicate key on a unique"
                                    + " secondary index, a validation failure, a document over 16 MiB): fail"
                                    + " stops the job at once naming the collection, the _id and the server's"
                                    + " message; skip-and-log records it in the target database's"
                                    + " __mongo_resume_dead_letters collection (metric writesDeadLettered) and"
                                    + " goes on, so the target then differs from the source in those documents.");

    public static final ConfigOption<Boolean> TARGET_TAKE_OVER =
            ConfigOptions.key("target.take-over")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Claim target collections that another migration owns (its job name, source and"
                                    + " lease are in the refusal and in precheck). The other job stops at its"
                                    + " next checkpoint; use it only when that job is not to continue.");

    public static final ConfigOption<Duration> TARGET_OWNERSHIP_LEASE =
            ConfigOptions.key("target.ownership-lease")
                    .durationType()
                    .defaultValue(Duration.ofDays(7))
                    .withDescription(
                            "How long a job keeps its claim on its target collections after its last completed"
                                    + " checkpoint: a stopped job can be resumed within this time without"
                                    + " another job having taken its target. Each checkpoint renews it.");

    // ---------------------------------------------------------------- sync

    public static final ConfigOption<SyncType> SYNC_TYPE =
            ConfigOptions.key("sync.type")
                    .enumType(SyncType.class)
                    .defaultValue(SyncType.FULL_INCREMENTAL)
                    .withDescription("What the job copies.");

    // ---------------------------------------------------------------- change streams

    public static final ConfigOption<String> CDC_START_AT =
            ConfigOptions.key("cdc.start-at")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "incremental only: apply changes from this time, an ISO-8601 instant"
                                    + " (2026-11-26T08:00:00Z) or epoch seconds. Default: now. Used on a fresh"
                                    + " start only; a resumed job continues from its savepoint. A time before the"
                                    + " oldest entry of the source's oplog is refused (those changes are gone), and"
                                    + " so is a time in the future, unless cdc.start-at-future-ok is set.");

    public static final ConfigOption<Boolean> CDC_START_AT_FUTURE_OK =
            ConfigOptions.key("cdc.start-at-future-ok")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Accept a cdc.start-at in the future (more than "
                                    + MigrationConfig.START_AT_CLOCK_SKEW_SECONDS
                                    + " s, taken as clock skew, after this machine's clock): the change streams"
                                    + " then start at that time and the changes made before it are skipped on"
                                    + " purpose. Without it such a cdc.start-at is refused, since those changes"
                                    + " would be missing from the target.");

    public static final ConfigOption<String> CDC_RESUME_TOKEN =
            ConfigOptions.key("cdc.resume-token")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "incremental only, one collection only: continue after this change-stream"
                                    + " resume token (its JSON, e.g. {\"_data\": \"8263...\"}).");

    public static final ConfigOption<Boolean> CDC_FULL_DOCUMENT =
            ConfigOptions.key("cdc.full-document")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Update events carry the whole document (updateLookup), so the target converges"
                                    + " under the merge. false (partial updates) is rejected: applied as"
                                    + " $set/$unset it could not be merged with snapshot rows correctly.");

    public static final ConfigOption<Duration> CDC_DISCOVERY_INTERVAL =
            ConfigOptions.key("cdc.discovery-interval")
                    .durationType()
                    .defaultValue(
                            Duration.ofMillis(ChangeStreamSource.DEFAULT_DISCOVERY_INTERVAL_MILLIS))
                    .withDescription(
                            "With source.collection-regex, source.namespaces patterns with wildcards (or"
                                    + " no selection): how often to look for new matching collections, also in"
                                    + " databases created later, which are then followed from before their"
                                    + " creation without a restart. 0 turns discovery off.");

    public static final ConfigOption<Duration> CDC_START_MARGIN =
            ConfigOptions.key("cdc.start-margin")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "Safety margin subtracted from a start position taken from a clock (not from the"
                                    + " server's cluster time). Starting early is harmless; late loses changes.");

    public static final ConfigOption<Integer> CDC_READERS =
            ConfigOptions.key("cdc.readers")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "Parallel change-stream readers; each collection's stream is read by one of them,"
                                    + " in order. At most the job's max parallelism: 128, or"
                                    + " flink.pipeline.max-parallelism.");

    public static final ConfigOption<Duration> CDC_BUFFER_TIMEOUT =
            ConfigOptions.key("cdc.buffer-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMillis(10))
                    .withDescription(
                            "Longest time a change event waits in a network buffer on its way to the merge"
                                    + " (Flink's buffer timeout, for the change streams only; the snapshot keeps"
                                    + " the job's 100 ms). Lower: less latency, more and smaller transfers. 0"
                                    + " sends every event at once.");

    // ---------------------------------------------------------------- merge, writes, DDL

    public static final ConfigOption<Boolean> MERGE_ENABLED =
            ConfigOptions.key("merge.enabled")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Merge snapshot rows with change events by _id (a row of a document the change"
                                    + " stream already touched is dropped). May be false only with sync.type=full.");

    public static final ConfigOption<WritePolicy.InsertPolicy> WRITE_INSERT =
            ConfigOptions.key("write.insert")
                    .enumType(WritePolicy.InsertPolicy.class)
                    .defaultValue(WritePolicy.InsertPolicy.UPSERT)
                    .withDescription("What an insert (and a snapshot row) does at the target.");

    public static final ConfigOption<WritePolicy.UpdatePolicy> WRITE_UPDATE =
            ConfigOptions.key("write.update")
                    .enumType(WritePolicy.UpdatePolicy.class)
                    .defaultValue(WritePolicy.UpdatePolicy.UPSERT)
                    .withDescription("What an update or replace does at the target.");

    public static final ConfigOption<WritePolicy.DeletePolicy> WRITE_DELETE =
            ConfigOptions.key("write.delete")
                    .enumType(WritePolicy.DeletePolicy.class)
                    .defaultValue(WritePolicy.DeletePolicy.DELETE)
                    .withDescription("What a delete does at the target.");

    public static final ConfigOption<WritePolicy.Mode> WRITE_MODE =
            ConfigOptions.key("write.mode")
                    .enumType(WritePolicy.Mode.class)
                    .defaultValue(WritePolicy.Mode.BY_EVENT_TYPE)
                    .withDescription("Which event types are written at all.");

    public static final ConfigOption<Boolean> WRITE_KEEP_DELETED =
            ConfigOptions.key("write.keep-deleted")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "A delete keeps the target document and marks it: _deleted: true and _deletedAt:"
                                    + " <source time of the delete>.");

    public static final ConfigOption<Boolean> DDL_ENABLED =
            ConfigOptions.key("ddl.enabled")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Apply collection create and drop at the target (needs target.writers=1, so a"
                                    + " drop stays in order with the collection's writes). Off by default: a drop"
                                    + " at the source then leaves the target collection in place.");

    // ---------------------------------------------------------------- snapshot

    public static final ConfigOption<PartitionStrategy> SNAPSHOT_PARTITION_STRATEGY =
            ConfigOptions.key("snapshot.partition.strategy")
                    .enumType(PartitionStrategy.class)
                    .defaultValue(PartitionStrategy.COUNT)
                    .withDescription(
                            "How each collection is cut into splits that are read in parallel.");

    public static final ConfigOption<Long> SNAPSHOT_PARTITION_SIZE =
            ConfigOptions.key("snapshot.partition.size")
                    .longType()
                    .defaultValue(MongoSnapshotSourceBuilder.DEFAULT_PARTITION_SIZE)
                    .withDescription("Documents per split, with the count strategy.");

    public static final ConfigOption<Integer> SNAPSHOT_PARTITION_COUNT =
            ConfigOptions.key("snapshot.partition.count")
                    .intType()
                    .defaultValue(MongoSnapshotSourceBuilder.DEFAULT_PARTITION_COUNT)
                    .withDescription("Splits per collection, with the min-max strategy.");

    public static final ConfigOption<Integer> SNAPSHOT_READERS =
            ConfigOptions.key("snapshot.readers")
                    .intType()
                    .defaultValue(8)
                    .withDescription(
                            "Parallel snapshot readers (source parallelism)."
                                    + " At most the job's max parallelism: 128, or flink.pipeline.max-parallelism.");

    public static final ConfigOption<Integer> SNAPSHOT_BATCH_READ_LIMIT =
            ConfigOptions.key("snapshot.batch-read-limit")
                    .intType()
                    .defaultValue(MongoSnapshotSourceBuilder.DEFAULT_BATCH_READ_LIMIT)
                    .withDescription(
                            "Most documents one query reads; the next query starts after the last _id read"
                                    + " (when splits are queried in batches, see snapshot.split-query).");

    public static final ConfigOption<SplitQueryMode> SNAPSHOT_SPLIT_QUERY =
            ConfigOptions.key("snapshot.split-query")
                    .enumType(SplitQueryMode.class)
                    .defaultValue(SplitQueryMode.AUTO)
                    .withDescription(
                            "How a split is queried. batched: queries of at most snapshot.batch-read-limit"
                                    + " documents. single: one query per split, for servers where every _id range"
                                    + " query scans the whole collection. auto: batched where explain shows an"
                                    + " index scan of the _id range, else single (logged per collection).");

    public static final ConfigOption<Integer> SNAPSHOT_FETCH_SIZE =
            ConfigOptions.key("snapshot.fetch-size")
                    .intType()
                    .defaultValue(MongoSnapshotSourceBuilder.DEFAULT_FETCH_SIZE)
                    .withDescription(
                            "Most documents per cursor batch of snapshot queries (and of verify and"
                                    + " precheck). Batches are sized from the collection's average document"
                                    + " size to about 8 MiB per reply, at most this; a reply the driver"
                                    + " refuses as too large is read again with smaller batches.");

    public static final ConfigOption<Boolean> SNAPSHOT_NO_CURSOR_TIMEOUT =
            ConfigOptions.key("snapshot.no-cursor-timeout")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Ask the server not to time out idle snapshot cursors (it otherwise closes them"
                                    + " after 10 minutes).");

    // ---------------------------------------------------------------- alerts

    public static final ConfigOption<Duration> ALERT_PROCESSING_TIME_THRESHOLD =
            ConfigOptions.key("alert.processing-time-threshold")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "A writer whose average processing time (wait in the batch + bulk request) is above"
                                    + " this ...");

    public static final ConfigOption<Duration> ALERT_PROCESSING_TIME_DURATION =
            ConfigOptions.key("alert.processing-time-duration")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "... continuously for this long logs a WARN and sets its 'alert' gauge to 1 (0 again"
                                    + " when it recovers).");

    // ---------------------------------------------------------------- runtime

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOptions.key("checkpoint.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "How often the breakpoint (split positions, resume tokens, merge state) is"
                                    + " checkpointed. State lives in RocksDB with incremental checkpoints.");

    public static final ConfigOption<String> CHECKPOINT_DIR =
            ConfigOptions.key("checkpoint.dir")
                    .stringType()
                    .defaultValue("file:///tmp/mongo-resume/checkpoints")
                    .withDescription(
                            "Where checkpoints go (a URI Flink's file systems understand).");

    public static final ConfigOption<String> SAVEPOINT_DIR =
            ConfigOptions.key("savepoint.dir")
                    .stringType()
                    .defaultValue("file:///tmp/mongo-resume/savepoints")
                    .withDescription("Where stop-with-savepoint writes savepoints.");

    public static final ConfigOption<String> JOB_NAME =
            ConfigOptions.key("job.name")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Name shown in the Flink web UI. Default: mongo-resume <source db> -> <target db>"
                                    + " (across databases: mongo-resume namespaces -> <target.database, or"
                                    + " 'same names'>).");

    /**
     * Prefix of keys passed to Flink unchanged (e.g. {@code
     * flink.taskmanager.memory.process.size}).
     */
    public static final String FLINK_PREFIX = "flink.";

    /** Every option declared above, in declaration order. */
    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Field field : MigrationOptions.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == ConfigOption.class) {
                try {
                    options.add((ConfigOption<?>) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Collections.unmodifiableList(options);
    }
}
