package io.mongoresume.connectors.snapshot.reader;

import org.apache.flink.annotation.Internal;

import io.mongoresume.connectors.snapshot.query.CollectionReadPlan;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What one reader subtask knows about its collections, kept across the split readers Flink creates
 * for it one after another (a fetcher with no split left is closed): the read plans it had to find
 * out itself, for splits that carry none (restored from a savepoint written before splits carried
 * them), and the collections whose shrunk cursor batches it has logged.
 */
@Internal
final class CollectionReadPlans {

    private final Map<String, CollectionReadPlan> probed = new ConcurrentHashMap<>();
    private final Set<String> shrinkLogged = ConcurrentHashMap.newKeySet();

    /** The split's plan, or the one found out once per collection by {@code probe}. */
    CollectionReadPlan planOf(SnapshotSplit split, Supplier<CollectionReadPlan> probe) {
        CollectionReadPlan carried = split.readPlan();
        if (carried != null) {
            return carried;
        }
        return probed.computeIfAbsent(split.namespace(), namespace -> probe.get());
    }

    /** True the first time it is called for {@code namespace}. */
    boolean firstShrink(String namespace) {
        return shrinkLogged.add(namespace);
    }
}
