package io.mongoresume.connectors.snapshot;

import org.apache.flink.annotation.Internal;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.mongoresume.connectors.common.CollectionPreparer;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.snapshot.enumerator.partition.PartitionStrategy;
import io.mongoresume.connectors.snapshot.query.SnapshotReadConcern;
import io.mongoresume.connectors.snapshot.reader.MarkerRouting;
import io.mongoresume.connectors.snapshot.query.SplitQueryMode;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The validated settings of a {@link MongoSnapshotSource}; built by {@link
 * MongoSnapshotSourceBuilder}.
 */
@Internal
public final class SnapshotSourceOptions implements Serializable {

    private static final long serialVersionUID = 1L;

    private final MongoConnectionOptions connection;
    private final CollectionSelection selection;
    private final PartitionStrategy partitionStrategy;
    private final long partitionSize;
    private final int partitionCount;
    private final int batchReadLimit;
    private final SplitQueryMode splitQueryMode;
    private final int fetchSize;
    private final boolean noCursorTimeout;
    private final SnapshotReadConcern readConcern;
    private final CollectionPreparer collectionPreparer;
    private final String migrationId;
    @Nullable private final MarkerRouting markerRouting;
    private final long discoveryIntervalMillis;

    SnapshotSourceOptions(
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
            long discoveryIntervalMillis) {
        this.connection = checkNotNull(connection);
        this.selection = checkNotNull(selection);
        this.partitionStrategy = checkNotNull(partitionStrategy);
        this.partitionSize = partitionSize;
        this.partitionCount = partitionCount;
        this.batchReadLimit = batchReadLimit;
        this.splitQueryMode = checkNotNull(splitQueryMode);
        this.fetchSize = fetchSize;
        this.noCursorTimeout = noCursorTimeout;
        this.readConcern = checkNotNull(readConcern);
        this.collectionPreparer = checkNotNull(collectionPreparer);
        this.migrationId = checkNotNull(migrationId);
        this.markerRouting = markerRouting;
        this.discoveryIntervalMillis = discoveryIntervalMillis;
    }

    public MongoConnectionOptions connection() {
        return connection;
    }

    /** The collections to copy (a list, or a regex that also selects collections that appear later). */
    public CollectionSelection selection() {
        return selection;
    }

    public String database() {
        return selection.database();
    }

    /** The explicit collection list, or null when {@link #collectionRegex()} selects. */
    @Nullable
    public List<String> collections() {
        return selection.isList() ? selection.collections() : null;
    }

    @Nullable
    public String collectionRegex() {
        return selection.regex();
    }

    public PartitionStrategy partitionStrategy() {
        return partitionStrategy;
    }

    public long partitionSize() {
        return partitionSize;
    }

    public int partitionCount() {
        return partitionCount;
    }

    public int batchReadLimit() {
        return batchReadLimit;
    }

    public SplitQueryMode splitQueryMode() {
        return splitQueryMode;
    }

    public int fetchSize() {
        return fetchSize;
    }

    public boolean noCursorTimeout() {
        return noCursorTimeout;
    }

    public SnapshotReadConcern readConcern() {
        return readConcern;
    }

    public CollectionPreparer collectionPreparer() {
        return collectionPreparer;
    }

    /** The id of a migration that starts now; a restored enumerator keeps the one of its state. */
    public String migrationId() {
        return migrationId;
    }

    /**
     * Whether the source stays open while the job runs (for collections that appear, with {@link
     * #discoveryIntervalMillis()}) and announces each finished collection to the merge.
     */
    public boolean continuous() {
        return markerRouting != null;
    }

    /** How a continuous source's markers reach every merge subtask; null for a bounded snapshot. */
    @Nullable
    public MarkerRouting markerRouting() {
        return markerRouting;
    }

    /** How often a continuous source with a regex selection looks for new collections; 0 never. */
    public long discoveryIntervalMillis() {
        return discoveryIntervalMillis;
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
