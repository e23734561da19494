package io.mongoresume.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.PipelineOptions;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;

import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The checks of single option values: required, well-formed, within bounds; each names its option.
 */
final class OptionValueChecks {

    private OptionValueChecks() {}

    static void check(MigrationConfig config) {
        require(
                config,
                MigrationOptions.SOURCE_URI,
                "the source deployment, e.g. mongodb://host:27017");
        require(
                config,
                MigrationOptions.TARGET_URI,
                "the target deployment, e.g. mongodb://host:27018");
        checkUri(config, MigrationOptions.SOURCE_URI);
        checkUri(config, MigrationOptions.TARGET_URI);
        SelectionChecks.check(config);
        if (config.isSet(MigrationOptions.SOURCE_COLLECTIONS)
                && config.isSet(MigrationOptions.SOURCE_COLLECTION_REGEX)) {
            throw new InvalidConfigException(
                    "Give either source.collections or source.collection-regex, not both.");
        }
        if (config.isSet(MigrationOptions.SOURCE_COLLECTION_REGEX)) {
            String regex = config.get(MigrationOptions.SOURCE_COLLECTION_REGEX);
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
        positive(config, MigrationOptions.SNAPSHOT_READERS);
        positive(config, MigrationOptions.SNAPSHOT_PARTITION_SIZE);
        positive(config, MigrationOptions.SNAPSHOT_PARTITION_COUNT);
        positive(config, MigrationOptions.SNAPSHOT_BATCH_READ_LIMIT);
        positive(config, MigrationOptions.SNAPSHOT_FETCH_SIZE);
        positive(config, MigrationOptions.TARGET_WRITERS);
        positive(config, MigrationOptions.TARGET_BATCH_SIZE);
        atLeast(config, MigrationOptions.TARGET_MAX_RETRIES, 0);
        atLeast(config, MigrationOptions.TARGET_RETRY_BACKOFF_MS, 0);
        long maxWait = config.get(MigrationOptions.TARGET_BATCH_MAX_WAIT_MS);
        if (maxWait != -1 && maxWait <= 0) {
            throw config.invalid(
                    MigrationOptions.TARGET_BATCH_MAX_WAIT_MS,
                    "a positive number of milliseconds, or -1 to turn the timer off");
        }
        positiveDuration(config, MigrationOptions.CHECKPOINT_INTERVAL);
        positive(config, MigrationOptions.CDC_READERS);
        int maxParallelism = config.maxParallelism();
        atMostMaxParallelism(config, MigrationOptions.SNAPSHOT_READERS, maxParallelism);
        atMostMaxParallelism(config, MigrationOptions.TARGET_WRITERS, maxParallelism);
        atMostMaxParallelism(config, MigrationOptions.CDC_READERS, maxParallelism);
        positiveDuration(config, MigrationOptions.ALERT_PROCESSING_TIME_THRESHOLD);
        OptionCombinations.check(config);
        positiveDuration(config, MigrationOptions.SOURCE_TIMEOUT);
        positiveDuration(config, MigrationOptions.TARGET_TIMEOUT);
        positiveDuration(config, MigrationOptions.TARGET_OWNERSHIP_LEASE);
        config.targetWriteConcern();
        config.namespaceMap();
    }

    private static void require(MigrationConfig config, ConfigOption<String> option, String what) {
        String value = config.get(option);
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

    private static void checkUri(MigrationConfig config, ConfigOption<String> option) {
        try {
            MongoConnectionOptions.of(config.get(option), 1000);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(
                    "Invalid value for option '" + option.key() + "': " + e.getMessage());
        }
    }

    private static void positive(MigrationConfig config, ConfigOption<? extends Number> option) {
        atLeast(config, option, 1);
    }

    private static void atLeast(
            MigrationConfig config, ConfigOption<? extends Number> option, long min) {
        if (config.get(option).longValue() < min) {
            throw config.invalid(option, "a whole number of at least " + min);
        }
    }

    /**
     * Flink refuses to start a vertex whose parallelism is above the max parallelism, with a long
     * trace.
     */
    private static void atMostMaxParallelism(
            MigrationConfig config, ConfigOption<Integer> option, int maxParallelism) {
        if (config.get(option) > maxParallelism) {
            String why =
                    config.flinkOptions().containsKey(PipelineOptions.MAX_PARALLELISM.key())
                            ? "set by " + MigrationConfig.MAX_PARALLELISM_KEY
                            : "raise it with "
                                    + MigrationConfig.MAX_PARALLELISM_KEY
                                    + ", on a fresh start only: a savepoint"
                                    + " keeps the max parallelism it was taken with";
            throw config.invalid(
                    option,
                    "at most " + maxParallelism + ", the job's max parallelism (" + why + ")");
        }
    }

    private static void positiveDuration(MigrationConfig config, ConfigOption<Duration> option) {
        Duration value = config.get(option);
        if (value.isZero() || value.isNegative()) {
            throw config.invalid(option, "a positive duration such as 10 s, 500 ms or 2 min");
        }
    }
}
