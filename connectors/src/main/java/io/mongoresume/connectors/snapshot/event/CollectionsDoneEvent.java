package io.mongoresume.connectors.snapshot.event;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceEvent;

import java.util.List;

/**
 * Sent by the enumerator to a reader: every split of these collections has been read, and the
 * reader holds none of them. The reader then tells every merge subtask ({@code SNAPSHOT_DONE}
 * markers, after all the rows it emitted), and a merge subtask that heard it from every reader
 * releases the collection's state.
 */
@Internal
public record CollectionsDoneEvent(List<String> collections) implements SourceEvent {

    private static final long serialVersionUID = 1L;

    public CollectionsDoneEvent {
        collections = List.copyOf(collections);
    }
}
