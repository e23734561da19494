package io.mongoresume.connectors.cdc.enumerator;

import org.apache.flink.annotation.Internal;

import io.mongoresume.connectors.cdc.offset.StartPosition;
import io.mongoresume.connectors.cdc.split.ChangeStreamSplit;
import org.bson.BsonTimestamp;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The enumerator's checkpoint: whether the initial splits were created, the splits not yet
 * assigned, the namespaces already known (so discovery never creates a second split for one), the
 * time of the last discovery poll (the start of a collection first seen at the next poll), the
 * migration id of the first start and, until the initial splits exist, the start position of the
 * first start: a job resumed before its streams began must start them where the first start would
 * have, not at the resumed job's position. Immutable; built from copies.
 *
 * @param knownNamespaces the known collections as namespaces ({@code database.collection}), sorted
 * @param migrationId the id of the migration's first start; null in states written before it was
 *     recorded
 * @param pendingStart the first start's position while the initial splits do not exist yet; else
 *     null
 */
@Internal
public record ChangeStreamEnumState(
        boolean initialized,
        List<ChangeStreamSplit> pendingSplits,
        Set<String> knownNamespaces,
        @Nullable BsonTimestamp lastPollTime,
        @Nullable String migrationId,
        @Nullable StartPosition pendingStart) {

    public ChangeStreamEnumState {
        pendingSplits = Collections.unmodifiableList(new ArrayList<>(checkNotNull(pendingSplits)));
        knownNamespaces = Collections.unmodifiableSet(new TreeSet<>(checkNotNull(knownNamespaces)));
    }

    /** A state without a migration id or a pending start, as version 1 wrote them. */
    public ChangeStreamEnumState(
            boolean initialized,
            Collection<ChangeStreamSplit> pendingSplits,
            Collection<String> knownNamespaces,
            @Nullable BsonTimestamp lastPollTime) {
        this(
                initialized,
                new ArrayList<>(checkNotNull(pendingSplits)),
                new TreeSet<>(checkNotNull(knownNamespaces)),
                lastPollTime,
                null,
                null);
    }

    public static ChangeStreamEnumState initial() {
        return new ChangeStreamEnumState(false, List.of(), List.of(), null);
    }

    @Override
    public String toString() {
        return "ChangeStreamEnumState{initialized="
                + initialized
                + ", pending="
                + pendingSplits
                + ", known="
                + knownNamespaces
                + ", lastPollTime="
                + lastPollTime
                + ", migrationId="
                + migrationId
                + (pendingStart != null ? ", pendingStart=" + pendingStart : "")
                + '}';
    }
}
