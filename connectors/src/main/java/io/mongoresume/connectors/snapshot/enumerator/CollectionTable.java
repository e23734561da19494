package io.mongoresume.connectors.snapshot.enumerator;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The enumerator's record of every collection it snapshots, by namespace ({@code
 * database.collection}) in the order they were added, and whether the selection was resolved. Keeps
 * each collection's metrics in step with its progress. Coordinator thread only.
 */
final class CollectionTable {

    private boolean resolved;
    private final Map<String, CollectionProgress> collections = new LinkedHashMap<>();
    @Nullable private EnumeratorMetrics metrics;

    CollectionTable(SnapshotEnumState state) {
        resolved = state.collectionsResolved();
        for (CollectionProgress c : state.collections()) {
            collections.put(c.namespace(), c);
        }
    }

    /** Starts keeping the metrics, beginning with the restored progress. */
    void open(EnumeratorMetrics metrics) {
        this.metrics = checkNotNull(metrics);
        collections.values().forEach(metrics::update);
    }

    boolean isResolved() {
        return resolved;
    }

    /** The selection is resolved: these are the collections to snapshot. */
    void addResolved(List<String> namespaces) {
        add(namespaces);
        resolved = true;
    }

    /** Collections that appeared after the start, to snapshot like the others. */
    void add(List<String> namespaces) {
        for (String namespace : namespaces) {
            update(CollectionProgress.notStarted(namespace));
        }
    }

    /** Collections the job no longer selects: forgotten, as if never added. */
    void remove(Collection<String> namespaces) {
        namespaces.forEach(collections::remove);
    }

    /** The estimate of a collection's documents, for its metrics. */
    void estimatedDocuments(String namespace, long count) {
        metrics.estimatedDocuments(namespace, count);
    }

    @Nullable
    CollectionProgress get(String namespace) {
        return collections.get(namespace);
    }

    /** Records a collection's new progress, also in its metrics. */
    CollectionProgress update(CollectionProgress progress) {
        collections.put(progress.namespace(), progress);
        metrics.update(progress);
        return progress;
    }

    /** Every collection's progress, in the order the collections were added. */
    Collection<CollectionProgress> all() {
        return Collections.unmodifiableCollection(collections.values());
    }

    /** The namespaces, in the order they were added. */
    Set<String> names() {
        return Collections.unmodifiableSet(collections.keySet());
    }

    List<String> unprepared() {
        List<String> unprepared = new ArrayList<>();
        for (CollectionProgress c : collections.values()) {
            if (!c.prepared()) {
                unprepared.add(c.namespace());
            }
        }
        return unprepared;
    }

    void prepared(String namespace) {
        collections.put(namespace, collections.get(namespace).asPrepared());
    }

    /** The first collection not cut into all its splits yet; null when every one is. */
    @Nullable
    CollectionProgress nextToPartition() {
        for (CollectionProgress c : collections.values()) {
            if (c.phase() != CollectionPhase.DONE) {
                return c;
            }
        }
        return null;
    }

    /** Whether the selection is resolved and every collection cut into all its splits. */
    boolean allPartitioned() {
        return resolved
                && collections.values().stream().allMatch(c -> c.phase() == CollectionPhase.DONE);
    }

    /** The collections read in full. */
    List<String> finished() {
        List<String> done = new ArrayList<>();
        for (CollectionProgress c : collections.values()) {
            if (c.finished()) {
                done.add(c.namespace());
            }
        }
        return done;
    }
}
