package io.mongoresume.connectors.snapshot.reader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A reader's counters per collection (group {@code collection=<db>.<coll>}): {@code documentsRead}
 * (fetched from the source, by the fetcher thread), {@code documentsEmitted} (by the task thread)
 * and {@code documentsRefetched} (read again after a restore although fetched before it). Shared by
 * the split reader and the emitter so each counter is registered once.
 */
@Internal
public final class ReaderMetrics {

    public static final String COLLECTION_GROUP = "collection";
    public static final String DOCUMENTS_READ = "documentsRead";
    public static final String DOCUMENTS_EMITTED = "documentsEmitted";
    public static final String DOCUMENTS_REFETCHED = "documentsRefetched";

    private final MetricGroup group;
    private final Map<String, PerCollection> collections = new ConcurrentHashMap<>();

    public ReaderMetrics(MetricGroup group) {
        this.group = group;
    }

    Counter documentsRead(String namespace) {
        return of(namespace).read;
    }

    Counter documentsEmitted(String namespace) {
        return of(namespace).emitted;
    }

    Counter documentsRefetched(String namespace) {
        return of(namespace).refetched;
    }

    private PerCollection of(String namespace) {
        return collections.computeIfAbsent(
                namespace, ns -> new PerCollection(group.addGroup(COLLECTION_GROUP, ns)));
    }

    /** The counters of one collection. */
    private static final class PerCollection {
        final Counter read;
        final Counter emitted;
        final Counter refetched;

        PerCollection(MetricGroup g) {
            read = g.counter(DOCUMENTS_READ, new ThreadSafeSimpleCounter());
            emitted = g.counter(DOCUMENTS_EMITTED, new ThreadSafeSimpleCounter());
            refetched = g.counter(DOCUMENTS_REFETCHED, new ThreadSafeSimpleCounter());
        }
    }
}
