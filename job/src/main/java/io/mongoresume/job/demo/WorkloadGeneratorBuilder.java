package io.mongoresume.job.demo;

import java.util.List;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Builder of a {@link WorkloadGenerator}; {@code uri}, {@code database}, {@code collections}
 * required.
 */
public final class WorkloadGeneratorBuilder {
    String uri;
    String database;
    List<String> collections = List.of();
    double opsPerSecond = WorkloadGenerator.DEFAULT_OPS_PER_SECOND;
    long seed = WorkloadGenerator.DEFAULT_SEED;
    long maxOps;
    int idSampleLimit = WorkloadGenerator.DEFAULT_ID_SAMPLE_LIMIT;

    WorkloadGeneratorBuilder() {}

    /** Connection string of the source (never logged). */
    public WorkloadGeneratorBuilder uri(String uri) {
        this.uri = checkNotNull(uri, "uri");
        return this;
    }

    public WorkloadGeneratorBuilder database(String database) {
        this.database = checkNotNull(database, "database");
        return this;
    }

    public WorkloadGeneratorBuilder collections(String... collections) {
        return collections(List.of(collections));
    }

    public WorkloadGeneratorBuilder collections(List<String> collections) {
        this.collections = List.copyOf(checkNotNull(collections, "collections"));
        return this;
    }

    /**
     * Target rate; 0 = as fast as possible. Default {@value
     * WorkloadGenerator#DEFAULT_OPS_PER_SECOND}.
     */
    public WorkloadGeneratorBuilder opsPerSecond(double opsPerSecond) {
        checkArgument(
                opsPerSecond >= 0 && Double.isFinite(opsPerSecond),
                "opsPerSecond must be >= 0: %s",
                opsPerSecond);
        this.opsPerSecond = opsPerSecond;
        return this;
    }

    public WorkloadGeneratorBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Stop by itself after this many operations; 0 (default) = until {@link
     * WorkloadGenerator#stop()}.
     */
    public WorkloadGeneratorBuilder maxOps(long maxOps) {
        checkArgument(maxOps >= 0, "maxOps must be >= 0: %s", maxOps);
        this.maxOps = maxOps;
        return this;
    }

    /** At most this many existing ids kept per collection (evenly spread over the range). */
    public WorkloadGeneratorBuilder idSampleLimit(int idSampleLimit) {
        checkArgument(idSampleLimit > 0, "idSampleLimit must be > 0: %s", idSampleLimit);
        this.idSampleLimit = idSampleLimit;
        return this;
    }

    public WorkloadGenerator build() {
        checkArgument(uri != null, "uri is required");
        checkArgument(database != null, "database is required");
        checkArgument(!collections.isEmpty(), "at least one collection is required");
        return new WorkloadGenerator(this);
    }
}
