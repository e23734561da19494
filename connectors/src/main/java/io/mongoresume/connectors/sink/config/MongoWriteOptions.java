package io.mongoresume.connectors.sink.config;

import org.apache.flink.annotation.Internal;

import com.mongodb.MongoNamespace;
import com.mongodb.WriteConcern;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.NamespaceMap;
import io.mongoresume.connectors.sink.WriteErrorPolicy;
import io.mongoresume.connectors.sink.WritePolicy;

import java.io.Serializable;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The sink's settings, immutable and checked here; built by {@link
 * io.mongoresume.connectors.sink.MongoMigrationSinkBuilder}, which holds the defaults.
 *
 * @param namespaceMap where each source namespace is written
 */
@Internal
public record MongoWriteOptions(
        MongoConnectionOptions connection,
        NamespaceMap namespaceMap,
        int batchSize,
        long batchMaxWaitMillis,
        int maxRetries,
        long retryBackoffMillis,
        WritePolicy writePolicy,
        WriteConcern writeConcern,
        WriteErrorPolicy onWriteError,
        long alertThresholdMillis,
        long alertSustainMillis)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public MongoWriteOptions {
        checkNotNull(connection, "connection");
        checkNotNull(namespaceMap, "namespaceMap");
        checkArgument(batchSize > 0, "batchSize must be positive, got %s", batchSize);
        checkArgument(
                batchMaxWaitMillis == -1 || batchMaxWaitMillis > 0,
                "batchMaxWaitMillis must be positive, or -1 to disable the timer, got %s",
                batchMaxWaitMillis);
        checkArgument(maxRetries >= 0, "maxRetries must be >= 0, got %s", maxRetries);
        checkArgument(
                retryBackoffMillis >= 0,
                "retryBackoffMillis must be >= 0, got %s",
                retryBackoffMillis);
        checkNotNull(writePolicy, "writePolicy");
        checkNotNull(writeConcern, "writeConcern");
        checkArgument(
                writeConcern.isAcknowledged(),
                "writeConcern %s is unacknowledged: the sink could neither retry failed writes nor know which"
                        + " writes a checkpoint covers",
                writeConcern);
        checkNotNull(onWriteError, "onWriteError");
        checkArgument(
                alertThresholdMillis > 0,
                "the processing-time alert threshold must be positive, got %s ms",
                alertThresholdMillis);
        checkArgument(
                alertSustainMillis >= 0,
                "the processing-time alert period must not be negative, got %s ms",
                alertSustainMillis);
    }

    /** The target namespace of source namespace {@code database.collection}. */
    public MongoNamespace target(String database, String collection) {
        return namespaceMap.target(database, collection);
    }

    @Override
    public String toString() {
        return "MongoWriteOptions{connection="
                + connection
                + ", namespaceMap="
                + namespaceMap
                + ", batchSize="
                + batchSize
                + ", batchMaxWaitMillis="
                + batchMaxWaitMillis
                + ", maxRetries="
                + maxRetries
                + ", retryBackoffMillis="
                + retryBackoffMillis
                + ", writePolicy="
                + writePolicy
                + ", writeConcern="
                + writeConcern.asDocument().toJson()
                + ", onWriteError="
                + onWriteError
                + '}';
    }
}
