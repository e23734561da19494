package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.annotation.Internal;

/** How far the enumerator got with cutting one collection into splits. */
@Internal
public enum CollectionPhase {
    /** Nothing produced yet (the collection may already be prepared). */
    NOT_STARTED,
    /** Some splits may be produced; a COUNT scan continues from the recorded position. */
    PARTITIONING,
    /** Every split of the collection is produced. */
    DONE
}
