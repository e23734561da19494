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

import io.mongoresume.connectors.cdc.offset.StartPosition;
import io.mongoresume.connectors.cdc.split.ChangeStreamSplit;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The enumerator's checkpoint: whether the initial splits were created, the splits not yet assigned, the
 * collections already known (so discovery never creates a second split for one), the time of the last
 * discovery poll (the start of a collection first seen at the next poll), the migration id of the first start
 * and, until the initial splits exist, the start position of the first start: a job resumed before its
 * streams began must start them where the first start would have, not at the resumed job's position.
 * Immutable; built from copies.
 */
@Internal
public final class ChangeStreamEnumState {

    private final boolean initialized;
    private final List<ChangeStreamSplit> pendingSplits;
    private final Set<String> knownCollections;
    @Nullable private final BsonTimestamp lastPollTime;
    @Nullable private final String migrationId;
    @Nullable private final StartPosition pendingStart;

    public ChangeStreamEnumState(
            boolean initialized,
            Collection<ChangeStreamSplit> pendingSplits,
            Collection<String> knownCollections,
            @Nullable BsonTimestamp lastPollTime) {
        this(initialized, pendingSplits, knownCollections, lastPollTime, null, null);
    }

    public ChangeStreamEnumState(
            boolean initialized,
            Collection<ChangeStreamSplit> pendingSplits,
            Collection<String> knownCollections,
            @Nullable BsonTimestamp lastPollTime,
            @Nullable String migrationId,
            @Nullable StartPosition pendingStart) {
        this.initialized = initialized;
        this.pendingSplits = Collections.unmodifiableList(new ArrayList<>(checkNotNull(pendingSplits)));
        this.knownCollections = Collections.unmodifiableSet(new TreeSet<>(checkNotNull(knownCollections)));
        this.lastPollTime = lastPollTime;
        this.migrationId = migrationId;
        this.pendingStart = pendingStart;
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

    /** The id of the migration's first start; null in states written before it was recorded. */
    @Nullable
    public String migrationId() {
        return migrationId;
    }

    /** The first start's position while the initial splits do not exist yet; else null. */
    @Nullable
    public StartPosition pendingStart() {
        return pendingStart;
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
                && Objects.equals(lastPollTime, that.lastPollTime)
                && Objects.equals(migrationId, that.migrationId)
                && Objects.equals(pendingStart, that.pendingStart);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                initialized, pendingSplits, knownCollections, lastPollTime, migrationId, pendingStart);
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
                + ", migrationId="
                + migrationId
                + (pendingStart != null ? ", pendingStart=" + pendingStart : "")
                + '}';
    }
}
