package io.mongoresume.connectors.sink;

import org.apache.flink.annotation.PublicEvolving;

import com.mongodb.WriteConcern;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.NamespaceMap;
import io.mongoresume.connectors.sink.config.MongoWriteOptions;

import javax.annotation.Nullable;

/**
 * Builder of {@link MongoMigrationSink}; {@link #connection} is required, everything else has a
 * default.
 */
@PublicEvolving
public final class MongoMigrationSinkBuilder {

    public static final int DEFAULT_BATCH_SIZE = 1000;

    /**
     * Short, because change events trickle in and wait here for company: a full batch (bulk loads)
     * never waits, and a 100 ms timer costs a writer at most 10 bulks per second.
     */
    public static final long DEFAULT_BATCH_MAX_WAIT_MILLIS = 100;

    public static final int DEFAULT_MAX_RETRIES = 3;
    public static final long DEFAULT_RETRY_BACKOFF_MILLIS = 500;
    public static final long DEFAULT_ALERT_THRESHOLD_MILLIS = 5_000;
    public static final long DEFAULT_ALERT_SUSTAIN_MILLIS = 60_000;

    /**
     * Journaled on a majority: a primary failover cannot roll back a write the sink counts as done.
     */
    public static final WriteConcern DEFAULT_WRITE_CONCERN =
            WriteConcern.MAJORITY.withJournal(true);

    private MongoConnectionOptions connection;
    private NamespaceMap namespaceMap = NamespaceMap.identity();
    private int batchSize = DEFAULT_BATCH_SIZE;
    private long batchMaxWaitMillis = DEFAULT_BATCH_MAX_WAIT_MILLIS;
    private int maxRetries = DEFAULT_MAX_RETRIES;
    private long retryBackoffMillis = DEFAULT_RETRY_BACKOFF_MILLIS;
    private WritePolicy writePolicy = WritePolicy.defaults();
    private WriteConcern writeConcern = DEFAULT_WRITE_CONCERN;
    private WriteErrorPolicy onWriteError = WriteErrorPolicy.FAIL;
    private long alertThresholdMillis = DEFAULT_ALERT_THRESHOLD_MILLIS;
    private long alertSustainMillis = DEFAULT_ALERT_SUSTAIN_MILLIS;

    MongoMigrationSinkBuilder() {}

    /**
     * The target deployment. The client is created on the TaskManagers, by each writer; the
     * connection's timeout bounds each attempt of each request (server selection, connection and
     * reply together).
     */
    public MongoMigrationSinkBuilder connection(MongoConnectionOptions connection) {
        this.connection = connection;
        return this;
    }

    /** The database all collections go to; null keeps each event's source database name. */
    public MongoMigrationSinkBuilder targetDatabase(@Nullable String targetDatabase) {
        return namespaceMap(NamespaceMap.intoDatabase(targetDatabase));
    }

    /** Where each source namespace is written; default the same name. */
    public MongoMigrationSinkBuilder namespaceMap(NamespaceMap namespaceMap) {
        this.namespaceMap = namespaceMap;
        return this;
    }

    /**
     * Writes per bulk request: a namespace is flushed when it (or all together) buffer this many.
     */
    public MongoMigrationSinkBuilder batchSize(int batchSize) {
        this.batchSize = batchSize;
        return this;
    }

    /** Longest time a buffered write waits before it is flushed; -1 disables the timer. */
    public MongoMigrationSinkBuilder batchMaxWaitMillis(long batchMaxWaitMillis) {
        this.batchMaxWaitMillis = batchMaxWaitMillis;
        return this;
    }

    /**
     * Retries of a transient failure before the job fails; the n-th waits n × retryBackoffMillis.
     */
    public MongoMigrationSinkBuilder maxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
        return this;
    }

    public MongoMigrationSinkBuilder retryBackoffMillis(long retryBackoffMillis) {
        this.retryBackoffMillis = retryBackoffMillis;
        return this;
    }

    public MongoMigrationSinkBuilder writePolicy(WritePolicy writePolicy) {
        this.writePolicy = writePolicy;
        return this;
    }

    /**
     * The write concern of every write (bulk writes, collection create and drop); it must be
     * acknowledged. Default {@link #DEFAULT_WRITE_CONCERN}. It replaces any write concern of the
     * connection string.
     */
    public MongoMigrationSinkBuilder writeConcern(WriteConcern writeConcern) {
        this.writeConcern = writeConcern;
        return this;
    }

    /**
     * What to do with a write the target refuses for good; default {@link WriteErrorPolicy#FAIL}.
     */
    public MongoMigrationSinkBuilder onWriteError(WriteErrorPolicy onWriteError) {
        this.onWriteError = onWriteError;
        return this;
    }

    /**
     * The "falls behind" alert: a writer whose average processing time (a write's wait in the batch
     * plus its bulk request) stays above {@code thresholdMillis} for {@code sustainMillis} logs a
     * WARN and raises its {@code alert} gauge.
     */
    public MongoMigrationSinkBuilder processingTimeAlert(long thresholdMillis, long sustainMillis) {
        this.alertThresholdMillis = thresholdMillis;
        this.alertSustainMillis = sustainMillis;
        return this;
    }

    public MongoMigrationSink build() {
        return new MongoMigrationSink(
                new MongoWriteOptions(
                        connection,
                        namespaceMap,
                        batchSize,
                        batchMaxWaitMillis,
                        maxRetries,
                        retryBackoffMillis,
                        writePolicy,
                        writeConcern,
                        onWriteError,
                        alertThresholdMillis,
                        alertSustainMillis));
    }
}
