package io.mongoresume.connectors.snapshot.event;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceEvent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Sent by the enumerator to a reader: every split of these collections has been read, and the reader holds
 * none of them. The reader then tells every merge subtask ({@code SNAPSHOT_DONE} markers, after all the rows it
 * emitted), and a merge subtask that heard it from every reader releases the collection's state.
 */
@Internal
public final class CollectionsDoneEvent implements SourceEvent {

    private static final long serialVersionUID = 1L;

    private final List<String> collections;

    public CollectionsDoneEvent(Collection<String> collections) {
        this.collections = Collections.unmodifiableList(new ArrayList<>(collections));
    }

    public List<String> collections() {
        return collections;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CollectionsDoneEvent && collections.equals(((CollectionsDoneEvent) o).collections);
    }

    @Override
    public int hashCode() {
        return collections.hashCode();
    }

    @Override
    public String toString() {
        return "CollectionsDoneEvent" + collections;
    }
}
