package io.mongoresume.connectors.snapshot.event;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceEvent;

import java.util.List;

/**
 * Sent by a reader when it starts: the splits it restored from its checkpoint. After a restore the
 * enumerator uses these to settle splits whose finished event was sent after the enumerator's
 * checkpoint but before the reader's (Flink does not hold back reader-to-coordinator events around
 * checkpoints): a split the enumerator had assigned that no reader holds any more was finished
 * before the checkpoint.
 */
@Internal
public record SplitsHeldEvent(List<String> splitIds) implements SourceEvent {

    private static final long serialVersionUID = 1L;

    public SplitsHeldEvent {
        splitIds = List.copyOf(splitIds);
    }
}
