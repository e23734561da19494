package io.mongoresume.connectors.sink.writer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoNamespace;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.bulk.BulkWriteUpsert;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.WriteModel;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

import io.mongoresume.connectors.common.MongoErrors;
import io.mongoresume.connectors.common.metrics.ProcessingTimeAlert;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.sink.config.MongoWriteOptions;
import io.mongoresume.connectors.sink.writer.operation.WriteOp;
import io.mongoresume.connectors.sink.writer.operation.WriteOperations;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Buffers writes per target namespace and sends each namespace's buffer as one ordered bulk write, so writes
 * to one {@code _id} are applied in event order while namespaces stay independent. Everything runs on the
 * task's mailbox thread: the batch timer is a {@link ProcessingTimeService} timer, whose callback runs on
 * that thread and fails the task if it throws, so no error is ever kept in the background.
 *
 * <p>A namespace is flushed when its buffer holds {@code batchSize} writes, all namespaces when the total
 * does, when its oldest write has waited {@code batchMaxWaitMillis}, and always on {@link #flush} (each
 * checkpoint and end of input: at-least-once).
 *
 * <p>Every write carries the configured write concern, so a write counted at a checkpoint is one a failover
 * cannot roll back. The client is {@link
 * io.mongoresume.connectors.common.config.MongoConnectionOptions#createBoundedClient() bounded}: each
 * attempt of a request must complete within the connection's timeout, so a stalled target fails the task
 * after at most (timeout + back-off) × attempts instead of blocking its thread (and any checkpoint or
 * stop-with-savepoint waiting for it) until the target wakes up; {@link WriteAttempts} retries and words
 * the failure.
 */
@Internal
public final class MongoMigrationWriter implements SinkWriter<MigrationEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(MongoMigrationWriter.class);

    private static final BulkWriteOptions ORDERED = new BulkWriteOptions().ordered(true);

    private final MongoWriteOptions options;
    private final WriteOperations operations;
    private final ProcessingTimeService timeService;
    private final SinkWriterMetricGroup metricGroup;
    private final Counter recordsSent;
    private final MongoClient client;
    private final Map<MongoNamespace, Target> targets = new LinkedHashMap<>();
    private final Map<String, MongoNamespace> namespaceBySource = new HashMap<>();

    private int totalBuffered;
    @Nullable private ScheduledFuture<?> timer;
    private boolean closed;
    private boolean unorderedServerReported;
    private volatile long lastSendTimeMs;
    private final ProcessingTimeAlert alert;
    private final RefusedWrites refused;

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
        this.options = checkNotNull(options);
        this.operations = WriteOperations.of(options.writePolicy());
        this.timeService = checkNotNull(timeService);
        this.metricGroup = checkNotNull(metricGroup);
        this.recordsSent = metricGroup.getNumRecordsSendCounter();
        metricGroup.setCurrentSendTimeGauge(() -> lastSendTimeMs);
        this.alert =
                new ProcessingTimeAlert(
                        name,
                        options.alertThresholdMillis(),
                        options.alertSustainMillis(),
                        timeService::getCurrentProcessingTime);
        metricGroup.gauge(ProcessingTimeAlert.ALERT_GAUGE, alert::alert);
        metricGroup.gauge(ProcessingTimeAlert.AVERAGE_GAUGE, alert::averageMillis);
        this.client = checkNotNull(client);
        this.refused =
                new RefusedWrites(options.onWriteError(), client, options.connection().maskedUri());
    }

    @Override
    public void write(MigrationEvent event, Context context) throws IOException, InterruptedException {
        alert.evaluate();
        if (event.kind().isMarker()) {
            return; // between operators only; the merge consumes them
        }
        Target target = target(event);
        switch (event.kind()) {
            case CREATE_COLLECTION:
                createCollection(target);
                return;
            case DROP_COLLECTION:
                flush(target);
                dropCollection(target);
                return;
            default:
                break;
        }
        WriteOp op = operations.map(event);
        if (op == null) {
            target.metrics.ignored();
            return;
        }
        totalBuffered += target.buffer.add(op, timeService.getCurrentProcessingTime());
        if (target.buffer.size() >= options.batchSize()) {
            flush(target);
        } else if (totalBuffered >= options.batchSize()) {
            flushAll();
        } else {
            scheduleTimer();
        }
    }

    /** The alert gauge's value, for tests. */
    int alert() {
        return alert.alert();
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        flushAll();
    }

    @Override
    public void close() throws Exception {
        closed = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        client.close();
    }

    private Target target(MigrationEvent event) {
        String sourceNs = event.namespace();
        MongoNamespace ns = namespaceBySource.get(sourceNs);
        if (ns == null) {
            ns = new MongoNamespace(options.targetDatabase(event.database()), event.collection());
            namespaceBySource.put(sourceNs, ns);
        }
        return targets.computeIfAbsent(ns, this::newTarget);
    }

    private Target newTarget(MongoNamespace ns) {
        MongoCollection<RawBsonDocument> collection =
                client.getDatabase(ns.getDatabaseName())
                        .getCollection(ns.getCollectionName(), RawBsonDocument.class)
                        .withWriteConcern(options.writeConcern());
        return new Target(ns, collection, new NamespaceMetrics(metricGroup, ns.getFullName()));
    }

    private void flushAll() throws IOException, InterruptedException {
        for (Target target : targets.values()) {
            flush(target);
        }
    }

    private void scheduleTimer() {
        if (options.batchMaxWaitMillis() < 0 || timer != null || totalBuffered == 0 || closed) {
            return;
        }
        long oldest = Long.MAX_VALUE;
        for (Target target : targets.values()) {
            if (!target.buffer.isEmpty()) {
                oldest = Math.min(oldest, target.buffer.firstAddedAt());
            }
        }
        timer = timeService.registerTimer(oldest + options.batchMaxWaitMillis(), this::onTimer);
    }

    private void onTimer(long time) throws IOException, InterruptedException {
        timer = null;
        if (closed) {
            return;
        }
        alert.evaluate();
        for (Target target : targets.values()) {
            if (!target.buffer.isEmpty()
                    && target.buffer.firstAddedAt() + options.batchMaxWaitMillis() <= time) {
                flush(target);
            }
        }
        scheduleTimer();
    }

    private void flush(Target target) throws IOException, InterruptedException {
        if (target.buffer.isEmpty()) {
            return;
        }
        long oldestAddedAt = target.buffer.firstAddedAt();
        List<WriteOp> ops = target.buffer.drain();
        totalBuffered -= ops.size();
        long start = System.nanoTime();
        execute(target, ops);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        lastSendTimeMs = tookMs;
        target.metrics.flushed(tookMs);
        // Processing time of the batch's oldest write: its wait in the buffer plus the bulk request.
        alert.record(Math.max(0, timeService.getCurrentProcessingTime() - oldestAddedAt));
    }

    /**
     * Sends the writes as ordered bulks until all are acknowledged. An ordered bulk stops at its first
     * failing write and everything before it is applied, so a retry resumes at that write; after a
     * network-level failure the applied prefix is unknown and the retry resends the remaining writes (as
     * a Flink failover would).
     */
    private void execute(Target target, List<WriteOp> ops) throws IOException, InterruptedException {
        OrderedBulk bulk = new OrderedBulk(withoutTooLargeDocuments(target, ops));
        new WriteAttempts(options, target.namespace.getFullName())
                .untilDone(() -> writesOf(bulk.remaining()), () -> sendRest(target, bulk));
    }

    /** Sends what is left of the bulk; returns the failure to back off from, or null when all is sent. */
    @Nullable
    private MongoException sendRest(Target target, OrderedBulk bulk)
            throws IOException, InterruptedException {
        while (bulk.remaining() > 0) {
            try {
                target.metrics.bulkRequest();
                BulkWriteResult result = target.collection.bulkWrite(bulk.rest(), ORDERED);
                acknowledge(target, bulk.ops, bulk.from, bulk.ops.size(), result);
                return null;
            } catch (MongoBulkWriteException e) {
                if (e.getWriteErrors().isEmpty() || !settleFirstError(target, bulk, e)) {
                    return e;
                }
            } catch (MongoException e) {
                return e;
            } catch (RuntimeException e) {
                sendOneByOne(target, bulk, e);
                return null;
            }
        }
        return null;
    }

    /**
     * Acknowledges the writes before the bulk's first failing one and settles that one where the server's
     * answer is final, moving the bulk past it.
     *
     * @return false when the failure may pass: back off, then resend from the failed write
     */
    private boolean settleFirstError(Target target, OrderedBulk bulk, MongoBulkWriteException e) {
        BulkWriteError error = e.getWriteErrors().get(0);
        int failed = bulk.from + error.getIndex();
        detectUnorderedServer(target, e, error.getIndex());
        acknowledge(target, bulk.ops, bulk.from, failed, e.getWriteResult());
        bulk.from = failed;
        WriteOp op = bulk.ops.get(failed);
        if (error.getCode() == MongoErrors.DUPLICATE_KEY && op.isInsertOnly()) {
            // Insert-if-absent of a document that exists: the intended no-op.
            target.metrics.ignored();
            bulk.from++;
            return true;
        }
        if (error.getCode() == MongoErrors.DUPLICATE_KEY && op.isUpsert() && !bulk.duplicateKeyRetried) {
            // Two upserts of one _id raced (another writer); the retry finds the document.
            LOG.info(
                    "Duplicate key on an upsert into {}, retrying once: {}",
                    target.namespace.getFullName(),
                    error.getMessage());
            bulk.duplicateKeyRetried = true;
            return true;
        }
        if (!MongoErrors.isRetryableWriteCode(error.getCode())) {
            // This document's own answer (a unique index, a validator, ...): a retry cannot
            // change it. Fails the job, or records it and goes on with the rest.
            refused.refused(
                    target.namespace.getFullName(), op, error.getCode(), error.getMessage(), target.metrics);
            bulk.from++;
            bulk.duplicateKeyRetried = false;
            return true;
        }
        return false;
    }

    /**
     * A client-side rejection (an invalid field name, ...) names no document: find it by sending the rest
     * one write at a time.
     */
    private void sendOneByOne(Target target, OrderedBulk bulk, RuntimeException rejection)
            throws IOException, InterruptedException {
        if (bulk.remaining() > 1) {
            for (WriteOp op : new ArrayList<>(bulk.ops.subList(bulk.from, bulk.ops.size()))) {
                execute(target, List.of(op));
            }
            return;
        }
        refused.refused(
                target.namespace.getFullName(),
                bulk.ops.get(bulk.from),
                -1,
                "refused by the client before sending: " + rejection,
                target.metrics);
    }

    /**
     * Writes whose document is over MongoDB's 16 MiB limit: the driver would refuse the whole bulk without
     * saying which document, and no server takes them. Handled one by one before anything is sent.
     */
    private List<WriteOp> withoutTooLargeDocuments(Target target, List<WriteOp> ops) {
        List<WriteOp> kept = null;
        for (int i = 0; i < ops.size(); i++) {
            WriteOp op = ops.get(i);
            if (RefusedWrites.isTooLarge(op)) {
                if (kept == null) {
                    kept = new ArrayList<>(ops.subList(0, i));
                }
                refused.refused(
                        target.namespace.getFullName(),
                        op,
                        -1,
                        "the document is over MongoDB's limit of "
                                + RefusedWrites.MAX_DOCUMENT_BYTES
                                + " bytes for one document",
                        target.metrics);
            } else if (kept != null) {
                kept.add(op);
            }
        }
        return kept == null ? ops : kept;
    }


    /**
     * An ordered bulk must stop at its first failing write, which is what resuming at that write relies
     * on. mongo-java-server goes on with the rest; say so once, since a resumed bulk then re-applies them.
     */
    private void detectUnorderedServer(Target target, MongoBulkWriteException e, int errorIndex) {
        if (unorderedServerReported || !e.getWriteResult().wasAcknowledged()) {
            return;
        }
        BulkWriteResult result = e.getWriteResult();
        int applied =
                result.getInsertedCount()
                        + result.getMatchedCount()
                        + result.getDeletedCount()
                        + result.getUpserts().size();
        if (applied > errorIndex) {
            unorderedServerReported = true;
            LOG.warn(
                    "The target server applied {} writes of an ordered bulk to {} that failed at write {}:"
                            + " it does not stop ordered bulk writes at the first error. Writes after a"
                            + " failed one may be applied twice (harmless for upserts and deletes).",
                    applied,
                    target.namespace.getFullName(),
                    errorIndex);
        }
    }

    private static String writesOf(int count) {
        return "write of " + count + " documents";
    }

    /**
     * Counts the acknowledged writes {@code [from, to)} of a bulk that started at {@code from}. An
     * insert-if-absent upsert that did not upsert found the document, so it counts as ignored.
     */
    private void acknowledge(
            Target target, List<WriteOp> ops, int from, int to, BulkWriteResult result) {
        Set<Integer> upserted = new HashSet<>();
        if (result.wasAcknowledged()) {
            for (BulkWriteUpsert upsert : result.getUpserts()) {
                upserted.add(from + upsert.getIndex());
            }
        }
        for (int i = from; i < to; i++) {
            WriteOp op = ops.get(i);
            if (op.kind() == WriteOp.Kind.INSERT_IF_ABSENT
                    && op.isUpsert()
                    && result.wasAcknowledged()
                    && !upserted.contains(i)) {
                target.metrics.ignored();
            } else {
                target.metrics.acknowledged(op);
            }
        }
        recordsSent.inc(to - from);
    }

    private void createCollection(Target target) throws IOException, InterruptedException {
        applyDdl(
                target,
                "create collection",
                MongoErrors.NAMESPACE_EXISTS,
                () ->
                        client.getDatabase(target.namespace.getDatabaseName())
                                .withWriteConcern(options.writeConcern())
                                .createCollection(target.namespace.getCollectionName()),
                "Created target collection {}");
    }

    private void dropCollection(Target target) throws IOException, InterruptedException {
        applyDdl(
                target,
                "drop collection",
                MongoErrors.NAMESPACE_NOT_FOUND,
                () -> target.collection.drop(),
                "Dropped target collection {}");
    }

    /** Runs a DDL command; the server's {@code alreadyDoneCode} means the target is as wanted already. */
    private void applyDdl(
            Target target, String what, int alreadyDoneCode, Runnable command, String doneMessage)
            throws IOException, InterruptedException {
        new WriteAttempts(options, target.namespace.getFullName())
                .untilDone(
                        () -> what,
                        () -> {
                            try {
                                command.run();
                                LOG.info(doneMessage, target.namespace.getFullName());
                                return null;
                            } catch (MongoCommandException e) {
                                return e.getErrorCode() == alreadyDoneCode ? null : e;
                            } catch (MongoException e) {
                                return e;
                            }
                        });
    }

    @VisibleForTesting
    NamespaceMetrics metrics(String database, String collection) {
        Target target = targets.get(new MongoNamespace(database, collection));
        return target == null ? null : target.metrics;
    }

    @VisibleForTesting
    int buffered() {
        return totalBuffered;
    }

    /** One batch on its way as ordered bulks: its writes, and how far the target has taken them. */
    private static final class OrderedBulk {
        final List<WriteOp> ops;
        final List<WriteModel<RawBsonDocument>> models;
        int from;
        boolean duplicateKeyRetried;

        OrderedBulk(List<WriteOp> ops) {
            this.ops = ops;
            this.models = new ArrayList<>(ops.size());
            for (WriteOp op : ops) {
                models.add(op.model());
            }
        }

        int remaining() {
            return ops.size() - from;
        }

        List<WriteModel<RawBsonDocument>> rest() {
            return models.subList(from, ops.size());
        }
    }

    /** One target namespace: its buffer, collection handle and metrics. */
    private static final class Target {
        final MongoNamespace namespace;
        final MongoCollection<RawBsonDocument> collection;
        final NamespaceMetrics metrics;
        final NamespaceBuffer buffer = new NamespaceBuffer();

        Target(
                MongoNamespace namespace,
                MongoCollection<RawBsonDocument> collection,
                NamespaceMetrics metrics) {
            this.namespace = namespace;
            this.collection = collection;
            this.metrics = metrics;
        }
    }
}
