package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

import io.mongoresume.connectors.common.selection.CollectionSelection;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The enumerator's gauges: {@code splitsTotal}, {@code splitsFinished}, {@code collectionsTotal},
 * {@code collectionsFinished}, and per collection (group {@code collection=<db>.<coll>}) {@code
 * splitsTotal}, {@code splitsFinished}, {@code estimatedDocuments}, {@code snapshotDone} (0/1), and
 * per source database (group {@code database=<db>}) {@code collectionsTotal}: a database name has
 * no dot, so tools reading metric identifiers in which Flink replaced the namespace's dot (its REST
 * API) learn from it where the database ends. Updated on the coordinator thread, read by reporters.
 */
@Internal
final class EnumeratorMetrics {

    static final String COLLECTION_GROUP = "collection";
    static final String DATABASE_GROUP = "database";
    static final String SPLITS_TOTAL = "splitsTotal";
    static final String SPLITS_FINISHED = "splitsFinished";
    static final String COLLECTIONS_TOTAL = "collectionsTotal";
    static final String COLLECTIONS_FINISHED = "collectionsFinished";
    static final String ESTIMATED_DOCUMENTS = "estimatedDocuments";
    static final String SNAPSHOT_DONE = "snapshotDone";

    private final MetricGroup group;
    private final Map<String, PerCollection> collections = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> databases = new ConcurrentHashMap<>();

    EnumeratorMetrics(MetricGroup group) {
        this.group = group;
        group.gauge(SPLITS_TOTAL, (Gauge<Long>) () -> sum(true));
        group.gauge(SPLITS_FINISHED, (Gauge<Long>) () -> sum(false));
        group.gauge(COLLECTIONS_TOTAL, (Gauge<Integer>) collections::size);
        group.gauge(
                COLLECTIONS_FINISHED,
                (Gauge<Long>) () -> collections.values().stream().filter(c -> c.finished).count());
    }

    void update(CollectionProgress progress) {
        PerCollection m = collections.computeIfAbsent(progress.namespace(), this::register);
        m.splitsTotal = progress.splitsTotal();
        m.splitsFinished = progress.splitsFinished();
        m.finished = progress.finished();
    }

    void estimatedDocuments(String namespace, long count) {
        collections.computeIfAbsent(namespace, this::register).estimatedDocuments = count;
    }

    private PerCollection register(String namespace) {
        PerCollection m = new PerCollection();
        databases
                .computeIfAbsent(CollectionSelection.databaseOf(namespace), this::registerDatabase)
                .incrementAndGet();
        MetricGroup g = group.addGroup(COLLECTION_GROUP, namespace);
        g.gauge(SPLITS_TOTAL, (Gauge<Long>) () -> m.splitsTotal);
        g.gauge(SPLITS_FINISHED, (Gauge<Long>) () -> m.splitsFinished);
        g.gauge(ESTIMATED_DOCUMENTS, (Gauge<Long>) () -> m.estimatedDocuments);
        g.gauge(SNAPSHOT_DONE, (Gauge<Integer>) () -> m.finished ? 1 : 0);
        return m;
    }

    private AtomicInteger registerDatabase(String database) {
        AtomicInteger count = new AtomicInteger();
        group.addGroup(DATABASE_GROUP, database)
                .gauge(COLLECTIONS_TOTAL, (Gauge<Integer>) count::get);
        return count;
    }

    private long sum(boolean total) {
        long sum = 0;
        for (PerCollection c : collections.values()) {
            sum += total ? c.splitsTotal : c.splitsFinished;
        }
        return sum;
    }

    /** Gauge values of one collection. */
    private static final class PerCollection {
        volatile long splitsTotal;
        volatile long splitsFinished;
        volatile long estimatedDocuments = -1;
        volatile boolean finished;
    }
}
