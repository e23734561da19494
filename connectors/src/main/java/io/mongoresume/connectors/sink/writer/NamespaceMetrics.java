package io.mongoresume.connectors.sink.writer;

import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;

import io.mongoresume.connectors.sink.writer.operation.WriteOp;

/**
 * The per-namespace metrics of a writer, under group {@code collection=<db>.<coll>} (target
 * namespace). Counts are of writes the server acknowledged: {@code documentsWritten} replace/insert
 * writes (upserts, replaces, inserts-if-absent that inserted), {@code documentsDeleted} deletes and
 * soft-delete markers (also when no document matched), {@code writesIgnored} writes the policy
 * discarded plus inserts-if-absent that found the document; {@code bulkRequests} every bulk sent,
 * retries included. {@code writesPerSecond} rates written plus deleted; {@code lastFlushDurationMs}
 * is the last flush of this namespace, retries included. Writes superseded in the buffer by a later
 * write to the same {@code _id} are not counted at all.
 */
final class NamespaceMetrics {

    static final String GROUP_KEY = "collection";
    static final String DOCUMENTS_WRITTEN = "documentsWritten";
    static final String DOCUMENTS_DELETED = "documentsDeleted";
    static final String WRITES_IGNORED = "writesIgnored";
    static final String BULK_REQUESTS = "bulkRequests";
    static final String WRITES_PER_SECOND = "writesPerSecond";
    static final String LAST_FLUSH_DURATION_MS = "lastFlushDurationMs";
    static final String WRITES_DEAD_LETTERED = "writesDeadLettered";

    private final Counter documentsWritten;
    private final Counter documentsDeleted;
    private final Counter writesIgnored;
    private final Counter bulkRequests;
    private final Counter writesDeadLettered;
    private final Meter writesPerSecond;
    private volatile long lastFlushDurationMs;

    NamespaceMetrics(MetricGroup writerGroup, String namespace) {
        MetricGroup group = writerGroup.addGroup(GROUP_KEY, namespace);
        documentsWritten = group.counter(DOCUMENTS_WRITTEN);
        documentsDeleted = group.counter(DOCUMENTS_DELETED);
        writesIgnored = group.counter(WRITES_IGNORED);
        bulkRequests = group.counter(BULK_REQUESTS);
        writesDeadLettered = group.counter(WRITES_DEAD_LETTERED);
        writesPerSecond = group.meter(WRITES_PER_SECOND, new MeterView(60));
        group.gauge(LAST_FLUSH_DURATION_MS, () -> lastFlushDurationMs);
    }

    /**
     * Counts acknowledged writes: upserts/replaces/inserts as written, deletes and markers as
     * deleted.
     */
    void acknowledged(WriteOp op) {
        if (op.kind().isDeletion()) {
            documentsDeleted.inc();
        } else {
            documentsWritten.inc();
        }
        writesPerSecond.markEvent();
    }

    void ignored() {
        writesIgnored.inc();
    }

    /** A write the target refused for good, recorded as a dead letter. */
    void deadLettered() {
        writesDeadLettered.inc();
    }

    long writesDeadLettered() {
        return writesDeadLettered.getCount();
    }

    void bulkRequest() {
        bulkRequests.inc();
    }

    void flushed(long durationMs) {
        lastFlushDurationMs = durationMs;
    }

    @VisibleForTesting
    long documentsWritten() {
        return documentsWritten.getCount();
    }

    @VisibleForTesting
    long documentsDeleted() {
        return documentsDeleted.getCount();
    }

    @VisibleForTesting
    long writesIgnored() {
        return writesIgnored.getCount();
    }

    @VisibleForTesting
    long bulkRequests() {
        return bulkRequests.getCount();
    }

    @VisibleForTesting
    long lastFlushDurationMs() {
        return lastFlushDurationMs;
    }
}
