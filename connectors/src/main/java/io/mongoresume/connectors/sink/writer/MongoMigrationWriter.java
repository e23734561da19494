package io.mongoresume.connectors.sink.writer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

import com.mongodb.client.MongoClient;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.sink.config.MongoWriteOptions;
import io.mongoresume.connectors.sink.writer.operation.WriteOp;
import io.mongoresume.connectors.sink.writer.operation.WriteOperations;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.List;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Writes events into their target namespaces: DDL at once ({@link CollectionDdl}), document events
 * as writes ({@link WriteOperations}) buffered per namespace ({@link WriteBatcher}) and sent as
 * ordered bulks ({@link BulkWriter}), so writes to one {@code _id} are applied in event order while
 * namespaces stay independent. Everything runs on the task's mailbox thread.
 *
 * <p>Every write carries the configured write concern, so a write counted at a checkpoint is one a
 * failover cannot roll back.
 */
@Internal
public final class MongoMigrationWriter implements SinkWriter<MigrationEvent> {

    private final MongoClient client;
    private final TargetCollections targets;
    private final WriteOperations operations;
    private final WriteBatcher batcher;
    private final BulkWriter bulk;
    private final CollectionDdl ddl;
    private final WriterAlert alert;

    MongoMigrationWriter(
            MongoWriteOptions options,
            ProcessingTimeService timeService,
            SinkWriterMetricGroup metricGroup) {
        this(options, timeService, metricGroup, "MongoDB sink writer");
    }

    public MongoMigrationWriter(
            MongoWriteOptions options,
            ProcessingTimeService timeService,
            SinkWriterMetricGroup metricGroup,
            String name) {
        this(options, timeService, metricGroup, name, options.connection().createBoundedClient());
    }

    /** With a client made by the caller (e.g. with a command listener); the writer closes it. */
    @VisibleForTesting
    MongoMigrationWriter(
            MongoWriteOptions options,
            ProcessingTimeService timeService,
            SinkWriterMetricGroup metricGroup,
            String name,
            MongoClient client) {
        checkNotNull(options);
        checkNotNull(timeService);
        checkNotNull(metricGroup);
        this.client = checkNotNull(client);
        this.alert = new WriterAlert(name, options, timeService, metricGroup);
        this.bulk =
                new BulkWriter(
                        options,
                        new RefusedWrites(
                                options.onWriteError(), client, options.connection().maskedUri()),
                        metricGroup);
        this.targets = new TargetCollections(options, client, metricGroup);
        this.operations = WriteOperations.of(options.writePolicy());
        this.ddl = new CollectionDdl(options, client);
        this.batcher =
                new WriteBatcher(
                        options.batchSize(),
                        options.batchMaxWaitMillis(),
                        timeService,
                        targets.all(),
                        this::writeBatch,
                        alert::evaluate);
    }

    @Override
    public void write(MigrationEvent event, Context context)
            throws IOException, InterruptedException {
        alert.evaluate();
        if (event.kind().isMarker()) {
            return; // between operators only; the merge consumes them
        }
        TargetCollection target = targets.of(event);
        switch (event.kind()) {
            case CREATE_COLLECTION:
                ddl.create(target);
                return;
            case DROP_COLLECTION:
                batcher.flush(target);
                ddl.drop(target);
                return;
            default:
                break;
        }
        WriteOp op = operations.map(event);
        if (op == null) {
            target.metrics().ignored();
            return;
        }
        batcher.add(target, op);
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        batcher.flushAll();
    }

    @Override
    public void close() throws Exception {
        batcher.close();
        client.close();
    }

    private void writeBatch(TargetCollection target, List<WriteOp> batch, long oldestAddedAt)
            throws IOException, InterruptedException {
        bulk.write(target, batch);
        alert.batchWritten(oldestAddedAt);
    }

    /** The alert gauge's value, for tests. */
    int alert() {
        return alert.alert();
    }

    @VisibleForTesting
    @Nullable
    NamespaceMetrics metrics(String database, String collection) {
        TargetCollection target = targets.get(database, collection);
        return target == null ? null : target.metrics();
    }

    @VisibleForTesting
    int buffered() {
        return batcher.buffered();
    }
}
