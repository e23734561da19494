package io.mongoresume.connectors.snapshot.event;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceEvent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Sent by a reader when it starts: the splits it restored from its checkpoint. After a restore the
 * enumerator uses these to settle splits whose finished event was sent after the enumerator's
 * checkpoint but before the reader's (Flink does not hold back reader-to-coordinator events around
 * checkpoints): a split the enumerator had assigned that no reader holds any more was finished
 * before the checkpoint.
 */
@Internal
public final class SplitsHeldEvent implements SourceEvent {

    private static final long serialVersionUID = 1L;

    private final List<String> splitIds;

    public SplitsHeldEvent(Collection<String> splitIds) {
        this.splitIds = Collections.unmodifiableList(new ArrayList<>(splitIds));
    }

    public List<String> splitIds() {
        return splitIds;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SplitsHeldEvent && splitIds.equals(((SplitsHeldEvent) o).splitIds);
    }

    @Override
    public int hashCode() {
        return splitIds.hashCode();
    }

    @Override
    public String toString() {
        return "SplitsHeldEvent" + splitIds;
    }
}
