package io.mongoresume.connectors.snapshot.event;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceEvent;

import java.util.List;

/**
 * Sent by the enumerator to a reader: every split of these collections (namespaces, {@code
 * database.collection}) has been read, and the reader holds none of them. The reader then tells
 * every merge subtask ({@code SNAPSHOT_DONE} markers, after all the rows it emitted), and a merge
 * subtask that heard it from every reader releases the collection's state. Travels over RPC only,
 * never into a checkpoint.
 */
@Internal
public record CollectionsDoneEvent(List<String> namespaces) implements SourceEvent {

    private static final long serialVersionUID = 2L;

    public CollectionsDoneEvent {
        namespaces = List.copyOf(namespaces);
    }
}
