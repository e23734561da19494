package io.mongoresume.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;

import com.mongodb.WriteConcern;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.NamespaceMap;
import io.mongoresume.connectors.common.selection.NamespacePattern;
import io.mongoresume.connectors.sink.WritePolicy;

import javax.annotation.Nullable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The validated options of one migration job. Built once in {@code main()} from the job file and
 * overrides; every problem is reported with the key, the value and what is allowed, before anything
 * connects.
 */
public final class MigrationConfig {

    /**
     * The job's max parallelism unless {@code flink.pipeline.max-parallelism} sets another: fixed
     * so that keyed state in savepoints stays restorable when parallelism changes.
     */
    public static final int DEFAULT_MAX_PARALLELISM = 128;

    /**
     * How far cdc.start-at may lie after this machine's clock without cdc.start-at-future-ok:
     * clocks of machines kept in step differ by less.
     */
    public static final long START_AT_CLOCK_SKEW_SECONDS = 5;

    /** Flink's upper bound for the max parallelism ({@code KeyGroupRangeAssignment}). */
    static final int FLINK_MAX_PARALLELISM_BOUND = 1 << 15;

    static final String MAX_PARALLELISM_KEY =
            MigrationOptions.FLINK_PREFIX + PipelineOptions.MAX_PARALLELISM.key();

    private final Map<String, String> raw;
    private final Configuration options;
    private final Configuration flinkOptions;

    private MigrationConfig(
            Map<String, String> raw, Configuration options, Configuration flinkOptions) {
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
                                        ConfigOption::key,
                                        o -> o,
                                        (a, b) -> a,
                                        LinkedHashMap::new));
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
                                + OptionTypes.closest(key, declared.keySet())
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
        OptionValueChecks.check(config);
        return config;
    }

    /** Whether the job file or an override gives the option (not merely its default). */
    boolean isSet(ConfigOption<?> option) {
        return options.contains(option);
    }

    public <T> T get(ConfigOption<T> option) {
        return options.get(option);
    }

    /** Options for Flink itself, from {@code flink.*} keys with the prefix removed. */
    public Configuration flinkOptions() {
        return new Configuration(flinkOptions);
    }

    /** source.database, or null when the selection is not the one-database shorthand. */
    @Nullable
    public String sourceDatabase() {
        String database = get(MigrationOptions.SOURCE_DATABASE);
        return database == null || database.isBlank() ? null : database;
    }

    /**
     * target.database, else the source database's name; null when neither names one database (the
     * namespace form keeps each source database's name).
     */
    @Nullable
    public String targetDatabase() {
        String target = get(MigrationOptions.TARGET_DATABASE);
        return target == null || target.isBlank() ? sourceDatabase() : target;
    }

    /**
     * source.namespaces parsed, in order; empty when not given.
     *
     * @throws InvalidConfigException naming the option and the pattern that is wrong
     */
    public List<NamespacePattern> namespacePatterns() {
        return patterns(MigrationOptions.SOURCE_NAMESPACES);
    }

    /**
     * source.exclude parsed, in order; empty when not given.
     *
     * @throws InvalidConfigException naming the option and the pattern that is wrong
     */
    public List<NamespacePattern> excludePatterns() {
        return patterns(MigrationOptions.SOURCE_EXCLUDE);
    }

    private List<NamespacePattern> patterns(ConfigOption<List<String>> option) {
        List<String> texts = get(option);
        List<NamespacePattern> patterns = new ArrayList<>();
        for (String text : texts == null ? List.<String>of() : texts) {
            try {
                patterns.add(NamespacePattern.parse(text, option.key()));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException(e.getMessage());
            }
        }
        return patterns;
    }

    /**
     * Where each source namespace goes: {@code target.namespace-map}, then {@code target.database}.
     *
     * @throws InvalidConfigException naming the option and the rule that is wrong
     */
    public NamespaceMap namespaceMap() {
        String target = get(MigrationOptions.TARGET_DATABASE);
        try {
            return NamespaceMap.parse(
                    get(MigrationOptions.TARGET_NAMESPACE_MAP),
                    target == null || target.isBlank() ? null : target);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(e.getMessage());
        }
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
        if (name != null) {
            return name;
        }
        // The namespace form's default does not spell its patterns, which may change at a resume.
        return "mongo-resume "
                + (sourceDatabase() != null ? sourceDatabase() : "namespaces")
                + " -> "
                + (targetDatabase() != null ? targetDatabase() : "same names");
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

    /**
     * The effective value of every declared option as text (defaults included, a list joined by
     * ';', none as "(none)", secrets masked), with the effective target database: what a breakpoint
     * records.
     */
    public Map<String, String> effectiveValues() {
        Map<String, String> values = new LinkedHashMap<>();
        for (ConfigOption<?> option : MigrationOptions.all()) {
            Object value = get(option);
            String text;
            if (value == null) {
                text = "(none)";
            } else if (value instanceof List) {
                text =
                        ((List<?>) value)
                                .stream().map(String::valueOf).collect(Collectors.joining(";"));
            } else {
                text = String.valueOf(value);
            }
            values.put(option.key(), MongoConnectionOptions.mask(text));
        }
        values.put(
                MigrationOptions.TARGET_DATABASE.key(),
                targetDatabase() != null ? targetDatabase() : "(none)");
        return values;
    }

    /** cdc.start-at as an instant: ISO-8601 or epoch seconds. */
    public Instant cdcStartAt() {
        String value = get(MigrationOptions.CDC_START_AT);
        if (value == null) {
            return null;
        }
        try {
            if (value.matches("\\d+")) {
                return Instant.ofEpochSecond(Long.parseLong(value));
            }
            return Instant.parse(value);
        } catch (RuntimeException e) {
            throw invalid(
                    MigrationOptions.CDC_START_AT,
                    "an ISO-8601 instant such as 2026-11-26T08:00:00Z, or epoch seconds");
        }
    }

    /**
     * target.write-concern as the driver's write concern: majority or a number of members,
     * journaled.
     */
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

    InvalidConfigException invalid(ConfigOption<?> option, String allowed) {
        return new InvalidConfigException(
                "Invalid value '"
                        + MongoConnectionOptions.mask(
                                String.valueOf(
                                        raw.getOrDefault(
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
                            + OptionTypes.expected(option)
                            + ".");
        }
    }
}
