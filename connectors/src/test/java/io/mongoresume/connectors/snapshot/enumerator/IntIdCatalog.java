package io.mongoresume.connectors.snapshot.enumerator;

import io.mongoresume.connectors.snapshot.SnapshotTestData;
import io.mongoresume.connectors.snapshot.enumerator.partition.CountScanPosition;
import io.mongoresume.connectors.snapshot.enumerator.partition.IdSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collections of int ids 0, 1, 2... (n of them), without a server; records the position of every
 * scan by collection.
 */
class IntIdCatalog implements SourceCatalog {

    private final Map<String, Integer> sizes = new LinkedHashMap<>();
    final Map<String, List<CountScanPosition>> scans = new LinkedHashMap<>();

    IntIdCatalog add(String name, int documents) {
        sizes.put(name, documents);
        return this;
    }

    @Override
    public List<String> listCollectionNames() {
        return new ArrayList<>(sizes.keySet());
    }

    @Override
    public long estimatedDocumentCount(String collection) {
        return sizes.get(collection);
    }

    @Override
    public IdSource idSource(String collection) {
        return new RecordingIdSource(
                SnapshotTestData.intIds(sizes.get(collection)),
                scans.computeIfAbsent(collection, c -> new ArrayList<>()));
    }

    @Override
    public void close() {}
}
