package io.mongoresume.connectors.snapshot.event;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceEvent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sent by a reader when it has emitted every document of some splits, so the enumerator can count
 * finished splits and collections. Travels over RPC only, never into a checkpoint.
 *
 * @param namespacesBySplitId split id to the namespace ({@code database.collection}) it belongs to,
 *     in the reader's order
 */
@Internal
public record SplitsFinishedEvent(Map<String, String> namespacesBySplitId) implements SourceEvent {

    private static final long serialVersionUID = 2L;

    public SplitsFinishedEvent {
        namespacesBySplitId = Collections.unmodifiableMap(new LinkedHashMap<>(namespacesBySplitId));
    }

    @Override
    public String toString() {
        return "SplitsFinishedEvent" + namespacesBySplitId.keySet();
    }
}
