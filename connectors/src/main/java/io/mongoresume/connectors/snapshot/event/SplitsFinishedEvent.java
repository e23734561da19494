package io.mongoresume.connectors.snapshot.event;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceEvent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sent by a reader when it has emitted every document of some splits, so the enumerator can count
 * finished splits and collections. Travels over RPC only, never into a checkpoint.
 */
@Internal
public final class SplitsFinishedEvent implements SourceEvent {

    private static final long serialVersionUID = 1L;

    /** Split id to the collection it belongs to. */
    private final Map<String, String> collectionsBySplitId;

    public SplitsFinishedEvent(Map<String, String> collectionsBySplitId) {
        this.collectionsBySplitId =
                Collections.unmodifiableMap(new LinkedHashMap<>(collectionsBySplitId));
    }

    public Map<String, String> collectionsBySplitId() {
        return collectionsBySplitId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SplitsFinishedEvent
                && collectionsBySplitId.equals(((SplitsFinishedEvent) o).collectionsBySplitId);
    }

    @Override
    public int hashCode() {
        return collectionsBySplitId.hashCode();
    }

    @Override
    public String toString() {
        return "SplitsFinishedEvent" + collectionsBySplitId.keySet();
    }
}
