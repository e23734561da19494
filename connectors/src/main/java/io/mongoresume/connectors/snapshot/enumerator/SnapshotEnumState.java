package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.annotation.Internal;

import io.mongoresume.connectors.snapshot.split.SnapshotSplit;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The enumerator's checkpoint: whether the collections were resolved, each collection's progress
 * (phase, prepared, COUNT scan position, split counts), the splits not yet assigned, the ids of
 * splits assigned but not reported finished (with their collection; the splits themselves are in
 * the readers' state), the ids of finished splits and the partition options the splits were cut
 * with. Immutable; built from copies.
 */
@Internal
public final class SnapshotEnumState {

    private final boolean collectionsResolved;
    private final List<CollectionProgress> collections;
    private final List<SnapshotSplit> pendingSplits;
    private final Map<String, String> assignedSplits;
    private final Set<String> finishedSplitIds;
    @Nullable private final PartitionSettings partitionSettings;
    @Nullable private final String migrationId;

    public SnapshotEnumState(
            boolean collectionsResolved,
            Collection<CollectionProgress> collections,
            Collection<SnapshotSplit> pendingSplits,
            Map<String, String> assignedSplits,
            Collection<String> finishedSplitIds) {
        this(
                collectionsResolved,
                collections,
                pendingSplits,
                assignedSplits,
                finishedSplitIds,
                null,
                null);
    }

    public SnapshotEnumState(
            boolean collectionsResolved,
            Collection<CollectionProgress> collections,
            Collection<SnapshotSplit> pendingSplits,
            Map<String, String> assignedSplits,
            Collection<String> finishedSplitIds,
            @Nullable PartitionSettings partitionSettings,
            @Nullable String migrationId) {
        this.collectionsResolved = collectionsResolved;
        this.collections = Collections.unmodifiableList(new ArrayList<>(collections));
        this.pendingSplits = Collections.unmodifiableList(new ArrayList<>(pendingSplits));
        this.assignedSplits = Collections.unmodifiableMap(new LinkedHashMap<>(assignedSplits));
        this.finishedSplitIds = Collections.unmodifiableSet(new LinkedHashSet<>(finishedSplitIds));
        this.partitionSettings = partitionSettings;
        this.migrationId = migrationId;
    }

    /** The state of a fresh start: collections still to be resolved. */
    public static SnapshotEnumState initial() {
        return new SnapshotEnumState(
                false,
                Collections.emptyList(),
                Collections.emptyList(),
                Collections.emptyMap(),
                Collections.emptyList());
    }

    public boolean collectionsResolved() {
        return collectionsResolved;
    }

    public List<CollectionProgress> collections() {
        return collections;
    }

    public List<SnapshotSplit> pendingSplits() {
        return pendingSplits;
    }

    /** Split id to collection of the splits assigned to readers and not reported finished. */
    public Map<String, String> assignedSplits() {
        return assignedSplits;
    }

    public Set<String> finishedSplitIds() {
        return finishedSplitIds;
    }

    /** The options the splits were cut with; null in states written before they were recorded. */
    @Nullable
    public PartitionSettings partitionSettings() {
        return partitionSettings;
    }

    /** The id of the migration's first start; null in states written before it was recorded. */
    @Nullable
    public String migrationId() {
        return migrationId;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SnapshotEnumState)) {
            return false;
        }
        SnapshotEnumState that = (SnapshotEnumState) o;
        return collectionsResolved == that.collectionsResolved
                && collections.equals(that.collections)
                && pendingSplits.equals(that.pendingSplits)
                && assignedSplits.equals(that.assignedSplits)
                && finishedSplitIds.equals(that.finishedSplitIds)
                && Objects.equals(partitionSettings, that.partitionSettings)
                && Objects.equals(migrationId, that.migrationId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                collectionsResolved,
                collections,
                pendingSplits,
                assignedSplits,
                finishedSplitIds,
                partitionSettings,
                migrationId);
    }

    @Override
    public String toString() {
        return "SnapshotEnumState{resolved="
                + collectionsResolved
                + ", collections="
                + collections
                + ", pending="
                + pendingSplits.size()
                + ", assigned="
                + assignedSplits.size()
                + ", finished="
                + finishedSplitIds.size()
                + '}';
    }
}
