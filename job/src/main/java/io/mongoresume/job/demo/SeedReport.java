package io.mongoresume.job.demo;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * What {@link SampleDataSeeder#seed} wrote: documents per collection and how long it took.
 * Immutable.
 */
public final class SeedReport {

    private final Map<String, Long> counts;
    private final Duration elapsed;

    SeedReport(Map<String, Long> counts, Duration elapsed) {
        this.counts = Collections.unmodifiableMap(new LinkedHashMap<>(checkNotNull(counts)));
        this.elapsed = checkNotNull(elapsed);
    }

    /** Documents inserted per collection, in seeding order (empty collections included with 0). */
    public Map<String, Long> counts() {
        return counts;
    }

    public long count(String collection) {
        Long count = counts.get(collection);
        checkArgument(count != null, "not seeded: %s", collection);
        return count;
    }

    public long totalDocuments() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public Duration elapsed() {
        return elapsed;
    }

    /** Inserted documents per second over the whole run (index creation included). */
    public double documentsPerSecond() {
        long millis = Math.max(1, elapsed.toMillis());
        return totalDocuments() * 1000.0 / millis;
    }

    @Override
    public String toString() {
        return String.format(
                "SeedReport{%s, total=%d, elapsed=%d ms, %.0f docs/s}",
                counts, totalDocuments(), elapsed.toMillis(), documentsPerSecond());
    }
}
