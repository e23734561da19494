package io.mongoresume.connectors.cdc.enumerator;

import org.apache.flink.annotation.Internal;

import org.bson.BsonTimestamp;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.mongoresume.connectors.cdc.split.ChangeStreamSplit;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The enumerator's checkpoint: whether the initial splits were created, the splits not yet assigned, the
 * collections already known (so discovery never creates a second split for one) and the time of the last
 * discovery poll (the start of a collection first seen at the next poll). Immutable; built from copies.
 */
@Internal
public final class ChangeStreamEnumState {

    private final boolean initialized;
    private final List<ChangeStreamSplit> pendingSplits;
    private final Set<String> knownCollections;
    @Nullable private final BsonTimestamp lastPollTime;

    public ChangeStreamEnumState(
            boolean initialized,
            Collection<ChangeStreamSplit> pendingSplits,
            Collection<String> knownCollections,
            @Nullable BsonTimestamp lastPollTime) {
        this.initialized = initialized;
        this.pendingSplits = Collections.unmodifiableList(new ArrayList<>(checkNotNull(pendingSplits)));
        this.knownCollections = Collections.unmodifiableSet(new TreeSet<>(checkNotNull(knownCollections)));
        this.lastPollTime = lastPollTime;
    }

    public static ChangeStreamEnumState initial() {
        return new ChangeStreamEnumState(false, List.of(), List.of(), null);
    }

    public boolean initialized() {
        return initialized;
    }

    public List<ChangeStreamSplit> pendingSplits() {
        return pendingSplits;
    }

    /** Collection names (without database), sorted. */
    public Set<String> knownCollections() {
        return knownCollections;
    }

    @Nullable
    public BsonTimestamp lastPollTime() {
        return lastPollTime;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ChangeStreamEnumState)) {
            return false;
        }
        ChangeStreamEnumState that = (ChangeStreamEnumState) o;
        return initialized == that.initialized
                && pendingSplits.equals(that.pendingSplits)
                && knownCollections.equals(that.knownCollections)
                && Objects.equals(lastPollTime, that.lastPollTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(initialized, pendingSplits, knownCollections, lastPollTime);
    }

    @Override
    public String toString() {
        return "ChangeStreamEnumState{initialized="
                + initialized
                + ", pending="
                + pendingSplits
                + ", known="
                + knownCollections
                + ", lastPollTime="
                + lastPollTime
                + '}';
    }
}
