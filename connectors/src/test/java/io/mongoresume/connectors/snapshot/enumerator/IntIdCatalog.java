package io.mongoresume.connectors.snapshot.enumerator;

import io.mongoresume.connectors.snapshot.SnapshotTestData;
import io.mongoresume.connectors.snapshot.enumerator.partition.CountScanPosition;
import io.mongoresume.connectors.snapshot.enumerator.partition.IdSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Collections of int ids 0, 1, 2... (n of them), named by namespace ({@code db.collection}),
 * without a server; records the position of every scan by namespace.
 */
class IntIdCatalog implements SourceCatalog {

    private final Map<String, Integer> sizes = new LinkedHashMap<>();
    final Map<String, List<CountScanPosition>> scans = new LinkedHashMap<>();

    IntIdCatalog add(String namespace, int documents) {
        sizes.put(namespace, documents);
        return this;
    }

    /** Every namespace added, as the server lists them (sorted, {@code system.*} and all). */
    @Override
    public List<String> listNamespaces() {
        return new ArrayList<>(new TreeSet<>(sizes.keySet()));
    }

    @Override
    public long estimatedDocumentCount(String namespace) {
        return sizes.get(namespace);
    }

    @Override
    public IdSource idSource(String namespace) {
        return new RecordingIdSource(
                SnapshotTestData.intIds(sizes.get(namespace)),
                scans.computeIfAbsent(namespace, c -> new ArrayList<>()));
    }

    @Override
    public void close() {}
}
