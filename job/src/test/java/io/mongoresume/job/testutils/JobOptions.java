package io.mongoresume.job.testutils;

import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.config.SyncType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The raw options of one test job (what a job file would hold), set fluently on top of {@link
 * TestJobs#options}'s defaults so that a test shows only the options its scenario depends on.
 */
public final class JobOptions {

    private final Map<String, String> raw;

    public JobOptions(Map<String, String> raw) {
        this.raw = new LinkedHashMap<>(raw);
    }

    public JobOptions set(String key, String value) {
        raw.put(key, value);
        return this;
    }

    /** Leaves {@code key} out (its default applies). */
    public JobOptions without(String key) {
        raw.remove(key);
        return this;
    }

    /** {@code sync.type}. */
    public JobOptions sync(SyncType syncType) {
        return set("sync.type", syncType.toString());
    }

    /** {@code source.collections}: the selection, names separated by ';'. */
    public JobOptions collections(String collections) {
        return set("source.collections", collections);
    }

    /** {@code checkpoint.interval}, e.g. "500 ms". */
    public JobOptions checkpointInterval(String interval) {
        return set("checkpoint.interval", interval);
    }

    /**
     * Restarts after a failure, {@code attempts} times at most, {@code delay} apart (fixed-delay).
     */
    public JobOptions fixedDelayRestarts(int attempts, String delay) {
        return set("flink.restart-strategy.type", "fixed-delay")
                .set("flink.restart-strategy.fixed-delay.attempts", String.valueOf(attempts))
                .set("flink.restart-strategy.fixed-delay.delay", delay);
    }

    /** An independent copy, for a variant of the same job. */
    public JobOptions copy() {
        return new JobOptions(raw);
    }

    public MigrationConfig config() {
        return MigrationConfig.fromRaw(raw);
    }
}
