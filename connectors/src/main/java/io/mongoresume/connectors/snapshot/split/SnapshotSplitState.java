package io.mongoresume.connectors.snapshot.split;

import org.apache.flink.annotation.Internal;

import org.bson.BsonValue;

import javax.annotation.Nullable;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The reading progress of one split inside a reader. Mutated by the record emitter for every
 * emitted record, so Flink's checkpoint of {@link #toSplit()} is always in step with what went
 * downstream.
 */
@Internal
public final class SnapshotSplitState {

    private final SnapshotSplit split;
    @Nullable private BsonValue lastId;
    @Nullable private BsonValue fetchedUpToId;

    public SnapshotSplitState(SnapshotSplit split) {
        this.split = checkNotNull(split);
        this.lastId = split.lastId();
        this.fetchedUpToId = split.fetchedUpToId();
    }

    /**
     * Records that the document {@code id} of a batch ending at {@code batchLastId} was emitted.
     */
    public void emitted(BsonValue id, BsonValue batchLastId) {
        this.lastId = checkNotNull(id);
        this.fetchedUpToId = checkNotNull(batchLastId);
    }

    public SnapshotSplit split() {
        return split;
    }

    @Nullable
    public BsonValue lastId() {
        return lastId;
    }

    @Nullable
    public BsonValue fetchedUpToId() {
        return fetchedUpToId;
    }

    /** An immutable copy with the current progress. */
    public SnapshotSplit toSplit() {
        return split.withProgress(lastId, fetchedUpToId);
    }
}
