package io.mongoresume.connectors.snapshot;

import org.apache.flink.annotation.Internal;

import io.mongoresume.connectors.common.CollectionPreparer;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.snapshot.enumerator.partition.PartitionStrategy;
import io.mongoresume.connectors.snapshot.query.SnapshotReadConcern;
import io.mongoresume.connectors.snapshot.query.SplitQueryMode;
import io.mongoresume.connectors.snapshot.reader.MarkerRouting;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.List;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The validated settings of a {@link MongoSnapshotSource}; built by {@link
 * MongoSnapshotSourceBuilder}.
 *
 * @param selection the collections to copy: the shorthand (one database, a list or a regex) or the
 *     namespace form across databases; all but explicit lists also select collections that appear
 *     later
 * @param migrationId the id of a migration that starts now; a restored enumerator keeps the one of
 *     its state
 * @param markerRouting how a continuous source's markers reach every merge subtask; null for a
 *     bounded snapshot
 * @param discoveryIntervalMillis how often a continuous source whose selection {@link
 *     CollectionSelection#followsNewCollections() follows new collections} looks for them; 0 never
 */
@Internal
public record SnapshotSourceOptions(
        MongoConnectionOptions connection,
        CollectionSelection selection,
        PartitionStrategy partitionStrategy,
        long partitionSize,
        int partitionCount,
        int batchReadLimit,
        SplitQueryMode splitQueryMode,
        int fetchSize,
        boolean noCursorTimeout,
        SnapshotReadConcern readConcern,
        CollectionPreparer collectionPreparer,
        String migrationId,
        @Nullable MarkerRouting markerRouting,
        long discoveryIntervalMillis)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public SnapshotSourceOptions {
        checkNotNull(connection);
        checkNotNull(selection);
        checkNotNull(partitionStrategy);
        checkNotNull(splitQueryMode);
        checkNotNull(readConcern);
        checkNotNull(collectionPreparer);
        checkNotNull(migrationId);
    }

    /**
     * The shorthand's database.
     *
     * @throws IllegalStateException for a selection across databases
     */
    public String database() {
        return selection.database();
    }

    /**
     * The shorthand's explicit collection list; null when {@link #collectionRegex()} selects or the
     * selection is in the namespace form.
     */
    @Nullable
    public List<String> collections() {
        return selection.isShorthand() && selection.isList() ? selection.collections() : null;
    }

    /** The shorthand's regex; null for a list or the namespace form. */
    @Nullable
    public String collectionRegex() {
        return selection.regex();
    }

    /**
     * Whether the source stays open while the job runs (for collections that appear, with {@link
     * #discoveryIntervalMillis()}) and announces each finished collection to the merge.
     */
    public boolean continuous() {
        return markerRouting != null;
    }

    @Override
    public String toString() {
        return "SnapshotSourceOptions{"
                + connection
                + ", selection="
                + selection
                + ", partitionStrategy="
                + partitionStrategy
                + ", partitionSize="
                + partitionSize
                + ", partitionCount="
                + partitionCount
                + ", batchReadLimit="
                + batchReadLimit
                + ", splitQueryMode="
                + splitQueryMode
                + ", fetchSize="
                + fetchSize
                + ", noCursorTimeout="
                + noCursorTimeout
                + ", readConcern="
                + readConcern
                + '}';
    }
}
