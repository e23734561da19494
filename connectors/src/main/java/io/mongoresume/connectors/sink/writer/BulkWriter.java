package io.mongoresume.connectors.sink.writer;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.bulk.BulkWriteUpsert;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.WriteModel;
import io.mongoresume.connectors.common.MongoErrors;
import io.mongoresume.connectors.sink.config.MongoWriteOptions;
import io.mongoresume.connectors.sink.writer.operation.WriteOp;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Sends one namespace's batch as ordered bulk writes until the target has acknowledged every write
 * or refused it for good, so writes to one {@code _id} are applied in event order. An ordered bulk
 * stops at its first failing write and everything before it is applied, so a retry resumes at that
 * write; after a network-level failure the applied prefix is unknown and the retry resends the
 * remaining writes (as a Flink failover would).
 *
 * <p>The client is {@link
 * io.mongoresume.connectors.common.config.MongoConnectionOptions#createBoundedClient() bounded}:
 * each attempt must complete within the connection's timeout, so a stalled target fails the task
 * after at most (timeout + back-off) × attempts instead of blocking its thread (and any checkpoint
 * or stop-with-savepoint waiting for it) until the target wakes up; {@link WriteAttempts} retries
 * and words the failure.
 */
final class BulkWriter {

    private static final Logger LOG = LoggerFactory.getLogger(BulkWriter.class);

    private static final BulkWriteOptions ORDERED = new BulkWriteOptions().ordered(true);

    private final MongoWriteOptions options;
    private final RefusedWrites refused;
    private final Counter recordsSent;
    private final UnorderedServerCheck unorderedServer = new UnorderedServerCheck();
    private volatile long lastSendTimeMs;

    BulkWriter(
            MongoWriteOptions options, RefusedWrites refused, SinkWriterMetricGroup metricGroup) {
        this.options = options;
        this.refused = refused;
        this.recordsSent = metricGroup.getNumRecordsSendCounter();
        metricGroup.setCurrentSendTimeGauge(() -> lastSendTimeMs);
    }

    void write(TargetCollection target, List<WriteOp> batch)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        execute(target, batch);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        lastSendTimeMs = tookMs;
        target.metrics().flushed(tookMs);
    }

    private void execute(TargetCollection target, List<WriteOp> ops)
            throws IOException, InterruptedException {
        OrderedBulk bulk =
                new OrderedBulk(refused.refuseTooLarge(target.fullName(), ops, target.metrics()));
        new WriteAttempts(options, target.fullName())
                .untilDone(() -> writesOf(bulk.remaining()), () -> sendRest(target, bulk));
    }

    /**
     * Sends what is left of the bulk; returns the failure to back off from, or null when all is
     * sent.
     */
    @Nullable
    private MongoException sendRest(TargetCollection target, OrderedBulk bulk)
            throws IOException, InterruptedException {
        while (bulk.remaining() > 0) {
            try {
                target.metrics().bulkRequest();
                BulkWriteResult result = target.collection().bulkWrite(bulk.rest(), ORDERED);
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
     * Acknowledges the writes before the bulk's first failing one and settles that one where the
     * server's answer is final, moving the bulk past it.
     *
     * @return false when the failure may pass: back off, then resend from the failed write
     */
    private boolean settleFirstError(
            TargetCollection target, OrderedBulk bulk, MongoBulkWriteException e) {
        BulkWriteError error = e.getWriteErrors().get(0);
        int failed = bulk.from + error.getIndex();
        unorderedServer.check(target.fullName(), e, error.getIndex());
        acknowledge(target, bulk.ops, bulk.from, failed, e.getWriteResult());
        bulk.from = failed;
        WriteOp op = bulk.ops.get(failed);
        if (error.getCode() == MongoErrors.DUPLICATE_KEY && op.isInsertOnly()) {
            // Insert-if-absent of a document that exists: the intended no-op.
            target.metrics().ignored();
            bulk.from++;
            return true;
        }
        if (error.getCode() == MongoErrors.DUPLICATE_KEY
                && op.isUpsert()
                && !bulk.duplicateKeyRetried) {
            // Two upserts of one _id raced (another writer); the retry finds the document.
            LOG.info(
                    "Duplicate key on an upsert into {}, retrying once: {}",
                    target.fullName(),
                    error.getMessage());
            bulk.duplicateKeyRetried = true;
            return true;
        }
        if (!MongoErrors.isRetryableWriteCode(error.getCode())) {
            // This document's own answer (a unique index, a validator, ...): a retry cannot
            // change it. Fails the job, or records it and goes on with the rest.
            refused.refused(
                    target.fullName(), op, error.getCode(), error.getMessage(), target.metrics());
            bulk.from++;
            bulk.duplicateKeyRetried = false;
            return true;
        }
        return false;
    }

    /**
     * A client-side rejection (an invalid field name, ...) names no document: find it by sending
     * the rest one write at a time.
     */
    private void sendOneByOne(TargetCollection target, OrderedBulk bulk, RuntimeException rejection)
            throws IOException, InterruptedException {
        if (bulk.remaining() > 1) {
            for (WriteOp op : new ArrayList<>(bulk.ops.subList(bulk.from, bulk.ops.size()))) {
                execute(target, List.of(op));
            }
            return;
        }
        refused.refused(
                target.fullName(),
                bulk.ops.get(bulk.from),
                -1,
                "refused by the client before sending: " + rejection,
                target.metrics());
    }

    /**
     * Counts the acknowledged writes {@code [from, to)} of a bulk that started at {@code from}. An
     * insert-if-absent upsert that did not upsert found the document, so it counts as ignored.
     */
    private void acknowledge(
            TargetCollection target, List<WriteOp> ops, int from, int to, BulkWriteResult result) {
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
                target.metrics().ignored();
            } else {
                target.metrics().acknowledged(op);
            }
        }
        recordsSent.inc(to - from);
    }

    private static String writesOf(int count) {
        return "write of " + count + " documents";
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
}
