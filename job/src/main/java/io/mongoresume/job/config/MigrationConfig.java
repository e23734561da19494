package io.mongoresume.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

import com.mongodb.WriteConcern;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.sink.WritePolicy;

/**
 * The validated options of one migration job. Built once in {@code main()} from the job file and overrides;
 * every problem is reported with the key, the value and what is allowed, before anything connects.
 */
public final class MigrationConfig {

    /**
     * The job's max parallelism unless {@code flink.pipeline.max-parallelism} sets another: fixed so that keyed
     * state in savepoints stays restorable when parallelism changes.
     */
    public static final int DEFAULT_MAX_PARALLELISM = 128;

    /**
     * How far cdc.start-at may lie after this machine's clock without cdc.start-at-future-ok: clocks of
     * machines kept in step differ by less.
     */
    public static final long START_AT_CLOCK_SKEW_SECONDS = 5;

    /** Flink's upper bound for the max parallelism ({@code KeyGroupRangeAssignment}). */
    static final int FLINK_MAX_PARALLELISM_BOUND = 1 << 15;

    private static final String MAX_PARALLELISM_KEY =
            MigrationOptions.FLINK_PREFIX + PipelineOptions.MAX_PARALLELISM.key();

    private final Map<String, String> raw;
    private final Configuration options;
    private final Configuration flinkOptions;

    private MigrationConfig(Map<String, String> raw, Configuration options, Configuration flinkOptions) {
        this.raw = raw;
        this.options = options;
        this.flinkOptions = flinkOptions;
    }

    public static MigrationConfig fromRaw(Map<String, String> rawOptions) {
        Map<String, String> raw = new LinkedHashMap<>(rawOptions);
        Map<String, ConfigOption<?>> declared =
                MigrationOptions.all().stream()
                        .collect(
                                Collectors.toMap(
                                        ConfigOption::key, o -> o, (a, b) -> a, LinkedHashMap::new));
        Map<String, String> ours = new LinkedHashMap<>();
        Map<String, String> flink = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : raw.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith(MigrationOptions.FLINK_PREFIX)) {
                flink.put(key.substring(MigrationOptions.FLINK_PREFIX.length()), entry.getValue());
            } else if (declared.containsKey(key)) {
                ours.put(key, entry.getValue());
            } else {
                throw new InvalidConfigException(
                        "Unknown option '"
                                + key
                                + "'."
                                + closest(key, declared.keySet())
                                + " Flink's own options go under the 'flink.' prefix (e.g."
                                + " flink.taskmanager.memory.process.size).");
            }
        }
        Configuration options = Configuration.fromMap(ours);
        for (ConfigOption<?> option : declared.values()) {
            parse(options, option);
        }
        MigrationConfig config =
                new MigrationConfig(
                        Collections.unmodifiableMap(raw), options, Configuration.fromMap(flink));
        config.validate();
        return config;
    }

    public <T> T get(ConfigOption<T> option) {
        return options.get(option);
    }

    /** Options for Flink itself, from {@code flink.*} keys with the prefix removed. */
    public Configuration flinkOptions() {
        return new Configuration(flinkOptions);
    }

    public String sourceDatabase() {
        return get(MigrationOptions.SOURCE_DATABASE);
    }

    public String targetDatabase() {
        String target = get(MigrationOptions.TARGET_DATABASE);
        return target == null || target.isBlank() ? sourceDatabase() : target;
    }

    public MongoConnectionOptions sourceConnection() {
        return MongoConnectionOptions.of(
                get(MigrationOptions.SOURCE_URI), get(MigrationOptions.SOURCE_TIMEOUT).toMillis());
    }

    public MongoConnectionOptions targetConnection() {
        return MongoConnectionOptions.of(
                get(MigrationOptions.TARGET_URI), get(MigrationOptions.TARGET_TIMEOUT).toMillis());
    }

    /** The explicit collection list, or empty when a regex (or everything) selects them. */
    public List<String> collections() {
        List<String> list = get(MigrationOptions.SOURCE_COLLECTIONS);
        return list == null ? Collections.emptyList() : list;
    }

    /** The selection regex; when neither a list nor a regex is given, everything ({@code .*}). */
    public String collectionRegex() {
        String regex = get(MigrationOptions.SOURCE_COLLECTION_REGEX);
        return regex == null ? ".*" : regex;
    }

    public boolean selectsByList() {
        return !collections().isEmpty();
    }

    /** Whether source.collection-regex is set (not merely defaulted to everything). */
    public boolean selectsByRegex() {
        return get(MigrationOptions.SOURCE_COLLECTION_REGEX) != null;
    }

    public String jobName() {
        String name = get(MigrationOptions.JOB_NAME);
        return name != null
                ? name
                : "mongo-resume " + sourceDatabase() + " -> " + targetDatabase();
    }

    /**
     * The max parallelism the job runs with: {@link #DEFAULT_MAX_PARALLELISM}, or {@code
     * flink.pipeline.max-parallelism}; -1 there leaves it to Flink, which allows up to {@value
     * #FLINK_MAX_PARALLELISM_BOUND}.
     */
    public int maxParallelism() {
        String value = flinkOptions.toMap().get(PipelineOptions.MAX_PARALLELISM.key());
        if (value == null) {
            return DEFAULT_MAX_PARALLELISM;
        }
        int max;
        try {
            max = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            max = 0;
        }
        if (max == -1) {
            return FLINK_MAX_PARALLELISM_BOUND;
        }
        if (max < 1 || max > FLINK_MAX_PARALLELISM_BOUND) {
            throw new InvalidConfigException(
                    "Invalid value '"
                            + value
                            + "' for option '"
                            + MAX_PARALLELISM_KEY
                            + "': expected a whole number from 1 to "
                            + FLINK_MAX_PARALLELISM_BOUND
                            + ", or -1 to let Flink choose.");
        }
        return max;
    }

    /** The options as given, secrets masked: for logs and the summary. */
    public Map<String, String> maskedOptions() {
        Map<String, String> masked = new LinkedHashMap<>();
        raw.forEach((k, v) -> masked.put(k, MongoConnectionOptions.mask(v)));
        return masked;
    }

    /** The options as given, unmasked, to hand to another process (e.g. a resume command). */
    public Map<String, String> rawOptions() {
        return raw;
    }

    private void validate() {
        require(MigrationOptions.SOURCE_URI, "the source deployment, e.g. mongodb://host:27017");
        require(MigrationOptions.SOURCE_DATABASE, "the database to migrate");
        require(MigrationOptions.TARGET_URI, "the target deployment, e.g. mongodb://host:27018");
        checkUri(MigrationOptions.SOURCE_URI);
        checkUri(MigrationOptions.TARGET_URI);
        if (options.contains(MigrationOptions.SOURCE_COLLECTIONS)
                && options.contains(MigrationOptions.SOURCE_COLLECTION_REGEX)) {
            throw new InvalidConfigException(
                    "Give either source.collections or source.collection-regex, not both.");
        }
        if (options.contains(MigrationOptions.SOURCE_COLLECTION_REGEX)) {
            String regex = get(MigrationOptions.SOURCE_COLLECTION_REGEX);
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new InvalidConfigException(
                        "Invalid value '"
                                + regex
                                + "' for option 'source.collection-regex': not a regular expression ("
                                + e.getDescription()
                                + ").");
            }
        }
        positive(MigrationOptions.SNAPSHOT_READERS);
        positive(MigrationOptions.SNAPSHOT_PARTITION_SIZE);
        positive(MigrationOptions.SNAPSHOT_PARTITION_COUNT);
        positive(MigrationOptions.SNAPSHOT_BATCH_READ_LIMIT);
        positive(MigrationOptions.SNAPSHOT_FETCH_SIZE);
        positive(MigrationOptions.TARGET_WRITERS);
        positive(MigrationOptions.TARGET_BATCH_SIZE);
        atLeast(MigrationOptions.TARGET_MAX_RETRIES, 0);
        atLeast(MigrationOptions.TARGET_RETRY_BACKOFF_MS, 0);
        long maxWait = get(MigrationOptions.TARGET_BATCH_MAX_WAIT_MS);
        if (maxWait != -1 && maxWait <= 0) {
            throw invalid(
                    MigrationOptions.TARGET_BATCH_MAX_WAIT_MS,
                    "a positive number of milliseconds, or -1 to turn the timer off");
        }
        positiveDuration(MigrationOptions.CHECKPOINT_INTERVAL);
        positive(MigrationOptions.CDC_READERS);
        int maxParallelism = maxParallelism();
        atMostMaxParallelism(MigrationOptions.SNAPSHOT_READERS, maxParallelism);
        atMostMaxParallelism(MigrationOptions.TARGET_WRITERS, maxParallelism);
        atMostMaxParallelism(MigrationOptions.CDC_READERS, maxParallelism);
        positiveDuration(MigrationOptions.ALERT_PROCESSING_TIME_THRESHOLD);
        validateSyncCombinations();
        refuseUnalignedCheckpoints();
        positiveDuration(MigrationOptions.SOURCE_TIMEOUT);
        positiveDuration(MigrationOptions.TARGET_TIMEOUT);
        positiveDuration(MigrationOptions.TARGET_OWNERSHIP_LEASE);
        targetWriteConcern();
    }

    /**
     * The merge counts on aligned checkpoints: a collection done at one merge subtask at a checkpoint has had
     * its last snapshot rows delivered to every subtask before it. Unaligned checkpoints keep rows in flight
     * and replay them after a restore, after the collection is done, where they could overwrite newer changes.
     */
    private void refuseUnalignedCheckpoints() {
        for (String key :
                List.of("execution.checkpointing.unaligned", "execution.checkpointing.unaligned.enabled")) {
            String value = flinkOptions.toMap().get(key);
            if (value != null && Boolean.parseBoolean(value.trim())) {
                throw new InvalidConfigException(
                        "Invalid value '"
                                + value
                                + "' for option 'flink."
                                + key
                                + "': unaligned checkpoints are not supported. A restore replays the records"
                                + " they kept in flight, and a snapshot row replayed after its collection's"
                                + " snapshot was recorded as done could overwrite a newer change. Remove the"
                                + " option (aligned checkpoints are Flink's default).");
            }
        }
    }

    /** Combinations that would silently do the wrong thing are refused before the job starts. */
    private void validateSyncCombinations() {
        SyncType sync = get(MigrationOptions.SYNC_TYPE);
        if (!get(MigrationOptions.MERGE_ENABLED) && sync != SyncType.FULL) {
            throw new InvalidConfigException(
                    "merge.enabled=false needs sync.type=full: with sync.type="
                            + sync
                            + " snapshot rows could overwrite newer changes. Remove merge.enabled or use"
                            + " sync.type=full.");
        }
        if (!get(MigrationOptions.CDC_FULL_DOCUMENT) && sync.hasChangeStream()) {
            throw new InvalidConfigException(
                    "cdc.full-document=false is not supported: partial updates ($set/$unset) cannot be"
                            + " merged with snapshot rows correctly. Remove the option (default true).");
        }
        boolean startAt = options.contains(MigrationOptions.CDC_START_AT);
        boolean token = options.contains(MigrationOptions.CDC_RESUME_TOKEN);
        if ((startAt || token) && sync != SyncType.INCREMENTAL) {
            throw new InvalidConfigException(
                    (startAt ? "cdc.start-at" : "cdc.resume-token")
                            + " applies to sync.type=incremental only; with sync.type="
                            + sync
                            + " the change stream starts before the snapshot by itself.");
        }
        if (startAt && token) {
            throw new InvalidConfigException("Give either cdc.start-at or cdc.resume-token, not both.");
        }
        if (startAt) {
            refuseFutureStartAt(cdcStartAt());
        } else if (get(MigrationOptions.CDC_START_AT_FUTURE_OK)) {
            throw new InvalidConfigException(
                    "cdc.start-at-future-ok=true has no effect without cdc.start-at (sync.type=incremental):"
                            + " remove it, or give the time the change streams are to start at.");
        }
        if (token && (!selectsByList() || collections().size() != 1)) {
            throw new InvalidConfigException(
                    "cdc.resume-token belongs to one collection's change stream: select exactly one"
                            + " collection with source.collections, or use cdc.start-at.");
        }
        if (token) {
            try {
                org.bson.BsonDocument.parse(get(MigrationOptions.CDC_RESUME_TOKEN));
            } catch (RuntimeException e) {
                throw new InvalidConfigException(
                        "Invalid value for option 'cdc.resume-token': not a JSON document such as"
                                + " {\"_data\": \"8263...\"}.");
            }
        }
        if (get(MigrationOptions.WRITE_MODE) == WritePolicy.Mode.APPEND_ONLY
                && get(MigrationOptions.WRITE_KEEP_DELETED)) {
            throw new InvalidConfigException(
                    "write.mode=append-only discards deletes, so write.keep-deleted=true would never mark"
                            + " anything. Use one of the two.");
        }
        if (get(MigrationOptions.WRITE_KEEP_DELETED)
                && get(MigrationOptions.WRITE_DELETE) == WritePolicy.DeletePolicy.IGNORE) {
            throw new InvalidConfigException(
                    "write.keep-deleted=true marks deleted documents, but write.delete=ignore ignores"
                            + " deletes. Use one of the two.");
        }
        if (get(MigrationOptions.DDL_ENABLED) && sync.hasChangeStream() && get(MigrationOptions.TARGET_WRITERS) > 1) {
            throw new InvalidConfigException(
                    "ddl.enabled=true needs target.writers=1: a collection's writes are spread over the"
                            + " writers by _id, so with "
                            + get(MigrationOptions.TARGET_WRITERS)
                            + " writers a drop could overtake writes still in flight on another writer and the"
                            + " target would keep documents the source dropped. Set target.writers=1 or leave"
                            + " ddl.enabled off.");
        }
        Duration discovery = get(MigrationOptions.CDC_DISCOVERY_INTERVAL);
        if (discovery.isNegative()) {
            throw invalid(MigrationOptions.CDC_DISCOVERY_INTERVAL, "a duration, or 0 to turn discovery off");
        }
    }

    /**
     * A cdc.start-at after this machine's clock (beyond the skew) would skip the changes until then: refused
     * unless cdc.start-at-future-ok says that is the intent.
     */
    private void refuseFutureStartAt(Instant startAt) {
        Instant now = Instant.now();
        Duration ahead = Duration.between(now, startAt);
        if (ahead.getSeconds() <= START_AT_CLOCK_SKEW_SECONDS || get(MigrationOptions.CDC_START_AT_FUTURE_OK)) {
            return;
        }
        throw invalid(
                MigrationOptions.CDC_START_AT,
                "a time that has passed: "
                        + startAt
                        + " is after this machine's clock ("
                        + now.truncatedTo(ChronoUnit.SECONDS)
                        + ") by more than the "
                        + START_AT_CLOCK_SKEW_SECONDS
                        + " s taken as clock skew, so the change streams would skip every change made until"
                        + " then. Give the time the changes to migrate begin at (leave cdc.start-at out"
                        + " to start now), or set cdc.start-at-future-ok=true to skip the changes until then on"
                        + " purpose");
    }

    /** cdc.start-at as an instant: ISO-8601 or epoch seconds. */
    public java.time.Instant cdcStartAt() {
        String value = get(MigrationOptions.CDC_START_AT);
        if (value == null) {
            return null;
        }
        try {
            if (value.matches("\\d+")) {
                return java.time.Instant.ofEpochSecond(Long.parseLong(value));
            }
            return java.time.Instant.parse(value);
        } catch (RuntimeException e) {
            throw invalid(
                    MigrationOptions.CDC_START_AT,
                    "an ISO-8601 instant such as 2026-11-26T08:00:00Z, or epoch seconds");
        }
    }

    /** target.write-concern as the driver's write concern: majority or a number of members, journaled. */
    public WriteConcern targetWriteConcern() {
        String value = get(MigrationOptions.TARGET_WRITE_CONCERN).trim();
        if (value.equalsIgnoreCase("majority")) {
            return WriteConcern.MAJORITY.withJournal(true);
        }
        if (value.matches("\\d{1,2}")) {
            int members = Integer.parseInt(value);
            if (members == 0) {
                throw invalid(
                        MigrationOptions.TARGET_WRITE_CONCERN,
                        "majority or a number of members of at least 1 (0 means unacknowledged writes: the"
                                + " job could not tell which writes a checkpoint covers, nor retry failed ones)");
            }
            return new WriteConcern(members).withJournal(true);
        }
        throw invalid(
                MigrationOptions.TARGET_WRITE_CONCERN,
                "majority, or the number of replica-set members that must acknowledge each write (1, 2, ...)");
    }

    /** The write policies as one immutable value for the sink. */
    public WritePolicy writePolicy() {
        return WritePolicy.builder()
                .insert(get(MigrationOptions.WRITE_INSERT))
                .update(get(MigrationOptions.WRITE_UPDATE))
                .delete(get(MigrationOptions.WRITE_DELETE))
                .mode(get(MigrationOptions.WRITE_MODE))
                .keepDeleted(get(MigrationOptions.WRITE_KEEP_DELETED))
                .build();
    }

    private void require(ConfigOption<String> option, String what) {
        String value = options.get(option);
        if (value == null || value.isBlank()) {
            throw new InvalidConfigException(
                    "Missing option '"
                            + option.key()
                            + "': "
                            + what
                            + ". Set it in the job file or with --set "
                            + option.key()
                            + "=...");
        }
    }

    private void checkUri(ConfigOption<String> option) {
        try {
            MongoConnectionOptions.of(options.get(option), 1000);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(
                    "Invalid value for option '" + option.key() + "': " + e.getMessage());
        }
    }

    private void positive(ConfigOption<? extends Number> option) {
        atLeast(option, 1);
    }

    private void atLeast(ConfigOption<? extends Number> option, long min) {
        if (options.get(option).longValue() < min) {
            throw invalid(option, "a whole number of at least " + min);
        }
    }

    /** Flink refuses to start a vertex whose parallelism is above the max parallelism, with a long trace. */
    private void atMostMaxParallelism(ConfigOption<Integer> option, int maxParallelism) {
        if (options.get(option) > maxParallelism) {
            String why =
                    flinkOptions.containsKey(PipelineOptions.MAX_PARALLELISM.key())
                            ? "set by " + MAX_PARALLELISM_KEY
                            : "raise it with " + MAX_PARALLELISM_KEY + ", on a fresh start only: a savepoint"
                                    + " keeps the max parallelism it was taken with";
            throw invalid(option, "at most " + maxParallelism + ", the job's max parallelism (" + why + ")");
        }
    }

    private void positiveDuration(ConfigOption<Duration> option) {
        Duration value = options.get(option);
        if (value.isZero() || value.isNegative()) {
            throw invalid(option, "a positive duration such as 10 s, 500 ms or 2 min");
        }
    }

    private InvalidConfigException invalid(ConfigOption<?> option, String allowed) {
        return new InvalidConfigException(
                "Invalid value '"
                        + MongoConnectionOptions.mask(String.valueOf(raw.getOrDefault(
                                option.key(), String.valueOf(options.get(option)))))
                        + "' for option '"
                        + option.key()
                        + "': expected "
                        + allowed
                        + ".");
    }

    private static void parse(Configuration options, ConfigOption<?> option) {
        try {
            options.get(option);
        } catch (RuntimeException e) {
            String value = options.toMap().get(option.key());
            throw new InvalidConfigException(
                    "Invalid value '"
                            + MongoConnectionOptions.mask(value)
                            + "' for option '"
                            + option.key()
                            + "': expected "
                            + expected(option)
                            + ".");
        }
    }

    static String expected(ConfigOption<?> option) {
        Class<?> clazz = typeOf(option);
        if (clazz != null && clazz.isEnum()) {
            return "one of "
                    + Arrays.stream(clazz.getEnumConstants())
                            .map(String::valueOf)
                            .collect(Collectors.joining(", "));
        }
        if (clazz == Integer.class || clazz == Long.class) {
            return "a whole number";
        }
        if (clazz == Boolean.class) {
            return "true or false";
        }
        if (clazz == Duration.class) {
            return "a duration such as 10 s, 500 ms or 2 min";
        }
        return "a value of type " + (clazz == null ? "?" : clazz.getSimpleName());
    }

    /** Whether the option holds a list ({@code ConfigOption#isList} is package-private in Flink 1.20). */
    static boolean isList(ConfigOption<?> option) {
        try {
            java.lang.reflect.Method isList = ConfigOption.class.getDeclaredMethod("isList");
            isList.setAccessible(true);
            return (Boolean) isList.invoke(option);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** The option's value type ({@code ConfigOption#getClazz} is package-private in Flink 1.20). */
    static Class<?> typeOf(ConfigOption<?> option) {
        try {
            java.lang.reflect.Method getClazz = ConfigOption.class.getDeclaredMethod("getClazz");
            getClazz.setAccessible(true);
            return (Class<?>) getClazz.invoke(option);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static String closest(String key, Set<String> known) {
        String best =
                known.stream()
                        .min(Comparator.comparingInt(k -> distance(key, k)))
                        .orElse(null);
        if (best != null && distance(key, best) <= Math.max(3, key.length() / 3)) {
            return " Did you mean '" + best + "'?";
        }
        return "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
