package io.mongoresume.job.demo;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * A snapshot of what a {@link WorkloadGenerator} has done. Immutable.
 *
 * <p>Invariant once the generator has stopped (and nobody else wrote): the number of documents in
 * each collection equals {@link #liveDocuments(String)} = {@link #initialDocuments(String)} +
 * inserts − deletes in it ({@link WorkloadOperation#DELETE_REINSERT} leaves the count unchanged).
 */
public final class WorkloadStats {

    private final Map<WorkloadOperation, Long> counts;
    private final Map<String, Long> initialDocuments;
    private final Map<String, Long> liveDocuments;
    private final long misses;
    private final Duration elapsed;

    WorkloadStats(
            Map<WorkloadOperation, Long> counts,
            Map<String, Long> initialDocuments,
            Map<String, Long> liveDocuments,
            long misses,
            Duration elapsed) {
        EnumMap<WorkloadOperation, Long> all = new EnumMap<>(WorkloadOperation.class);
        for (WorkloadOperation op : WorkloadOperation.values()) {
            all.put(op, counts.getOrDefault(op, 0L));
        }
        this.counts = Collections.unmodifiableMap(all);
        this.initialDocuments = Collections.unmodifiableMap(new LinkedHashMap<>(initialDocuments));
        this.liveDocuments = Collections.unmodifiableMap(new LinkedHashMap<>(liveDocuments));
        this.misses = misses;
        this.elapsed = checkNotNull(elapsed);
    }

    /** Completed operations per type (every type present, possibly 0). */
    public Map<WorkloadOperation, Long> counts() {
        return counts;
    }

    public long count(WorkloadOperation operation) {
        return counts.get(checkNotNull(operation));
    }

    public long totalOperations() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Writes that matched no document although the generator believed the {@code _id} existed: 0
     * unless something else deletes documents in the same collections concurrently.
     */
    public long misses() {
        return misses;
    }

    /**
     * Documents in {@code collection} when the generator started (from its single {@code _id}
     * scan).
     */
    public long initialDocuments(String collection) {
        Long count = initialDocuments.get(collection);
        checkArgument(count != null, "not a workload collection: %s", collection);
        return count;
    }

    /** Documents the generator expects in {@code collection}: initial + inserted − deleted. */
    public long liveDocuments(String collection) {
        Long count = liveDocuments.get(collection);
        checkArgument(count != null, "not a workload collection: %s", collection);
        return count;
    }

    public Map<String, Long> liveDocuments() {
        return liveDocuments;
    }

    public Duration elapsed() {
        return elapsed;
    }

    /** Achieved operations per second since start. */
    public double operationsPerSecond() {
        return totalOperations() * 1000.0 / Math.max(1, elapsed.toMillis());
    }

    @Override
    public String toString() {
        return String.format(
                "WorkloadStats{ops=%d (%.1f/s), %s, misses=%d, live=%s}",
                totalOperations(), operationsPerSecond(), counts, misses, liveDocuments);
    }
}
