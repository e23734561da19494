package io.mongoresume.connectors.sink;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.sink.config.MongoWriteOptions;
import io.mongoresume.connectors.sink.writer.MongoMigrationWriter;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Writes {@link MigrationEvent}s into a target MongoDB, routed by namespace at runtime: the events
 * of source namespace {@code db.coll} go to {@code <targetDatabase or db>.coll}. Document events
 * become replace-by- {@code _id} upserts and deletes under a {@link WritePolicy}; {@code
 * CREATE_COLLECTION} creates the target collection, {@code DROP_COLLECTION} drops it after flushing
 * its pending writes. Writes are batched per namespace into ordered bulk writes, so one {@code
 * _id}'s writes are never reordered; pending writes are flushed at every checkpoint
 * (at-least-once). Writes are journaled on a majority of the replica set by default ({@link
 * MongoMigrationSinkBuilder#writeConcern}), so a failover cannot roll back what a checkpoint counts
 * as written. Each request must complete within the connection's timeout; transient failures
 * (timeouts included) are retried with linear backoff, then fail the job with a message that says
 * which target, namespace and timeout.
 *
 * <p>The sink does not repartition: feed it a stream keyed by {@link MigrationEvent#key()} (as the
 * merge output is), so all events of one {@code _id} reach the same writer in order. With a {@code
 * targetDatabase}, same-named collections of different source databases land in one target
 * collection.
 *
 * <pre>{@code
 * MongoMigrationSink sink = MongoMigrationSink.builder()
 *     .connection(MongoConnectionOptions.of("mongodb://target:27017", 30_000))
 *     .targetDatabase(null)          // same database names as the source
 *     .batchSize(1000)
 *     .batchMaxWaitMillis(1000)
 *     .writePolicy(WritePolicy.defaults())
 *     .build();
 * events.keyBy(MigrationEvent::key).sinkTo(sink).uid("mongo-sink");
 * }</pre>
 */
@PublicEvolving
public final class MongoMigrationSink implements Sink<MigrationEvent> {

    private static final long serialVersionUID = 1L;

    private final MongoWriteOptions options;

    MongoMigrationSink(MongoWriteOptions options) {
        this.options = checkNotNull(options);
    }

    public static MongoMigrationSinkBuilder builder() {
        return new MongoMigrationSinkBuilder();
    }

    /** Never called by Flink 1.20, which uses {@link #createWriter(WriterInitContext)}. */
    @Override
    @Deprecated
    public SinkWriter<MigrationEvent> createWriter(InitContext context) {
        throw new UnsupportedOperationException(
                "MongoMigrationSink needs a WriterInitContext (Flink 1.20+)");
    }

    @Override
    public SinkWriter<MigrationEvent> createWriter(WriterInitContext context) {
        return new MongoMigrationWriter(
                options,
                context.getProcessingTimeService(),
                context.metricGroup(),
                "MongoDB sink writer " + (context.getTaskInfo().getIndexOfThisSubtask() + 1));
    }

    MongoWriteOptions options() {
        return options;
    }

    @Override
    public String toString() {
        return "MongoMigrationSink{" + options + '}';
    }
}
