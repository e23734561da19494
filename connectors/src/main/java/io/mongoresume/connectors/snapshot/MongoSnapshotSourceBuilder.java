package io.mongoresume.connectors.snapshot;

import org.apache.flink.annotation.PublicEvolving;

import io.mongoresume.connectors.common.CollectionPreparer;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.snapshot.enumerator.partition.PartitionStrategy;
import io.mongoresume.connectors.snapshot.query.SnapshotReadConcern;
import io.mongoresume.connectors.snapshot.query.SplitQueryMode;
import io.mongoresume.connectors.snapshot.reader.MarkerRouting;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/** Builds a {@link MongoSnapshotSource}; every setter checks its value and says what is allowed. */
@PublicEvolving
public final class MongoSnapshotSourceBuilder {

    public static final long DEFAULT_PARTITION_SIZE = 500_000L;
    public static final int DEFAULT_PARTITION_COUNT = 100;
    public static final int DEFAULT_BATCH_READ_LIMIT = 3000;
    public static final int DEFAULT_FETCH_SIZE = 100;

    @Nullable private MongoConnectionOptions connection;
    @Nullable private String database;
    @Nullable private List<String> collections;
    @Nullable private String collectionRegex;
    @Nullable private CollectionSelection selection;
    private PartitionStrategy partitionStrategy = PartitionStrategy.COUNT;
    private long partitionSize = DEFAULT_PARTITION_SIZE;
    private int partitionCount = DEFAULT_PARTITION_COUNT;
    private int batchReadLimit = DEFAULT_BATCH_READ_LIMIT;
    private SplitQueryMode splitQueryMode = SplitQueryMode.AUTO;
    private int fetchSize = DEFAULT_FETCH_SIZE;
    private boolean noCursorTimeout;
    private SnapshotReadConcern readConcern = SnapshotReadConcern.MAJORITY;
    private CollectionPreparer collectionPreparer = CollectionPreparer.NONE;
    @Nullable private String migrationId;
    @Nullable private MarkerRouting markerRouting;
    private long discoveryIntervalMillis;

    MongoSnapshotSourceBuilder() {}

    /** The source deployment. Required. */
    public MongoSnapshotSourceBuilder connection(MongoConnectionOptions connection) {
        this.connection = checkNotNull(connection, "connection must not be null");
        return this;
    }

    /** The source database. Required. */
    public MongoSnapshotSourceBuilder database(String database) {
        checkNotNull(database, "database must not be null");
        checkArgument(
                !database.isEmpty() && !database.matches(".*[/\\\\. \"$].*"),
                "database '%s' is not a valid MongoDB database name (non-empty, none of / \\ ."
                        + " space \" $)",
                database);
        this.database = database;
        return this;
    }

    /**
     * The collections to read, by name; each must exist. Exclusive with {@link #collectionRegex}.
     */
    public MongoSnapshotSourceBuilder collections(List<String> collections) {
        checkNotNull(collections, "collections must not be null");
        checkArgument(!collections.isEmpty(), "collections must name at least one collection");
        Set<String> seen = new HashSet<>();
        for (String name : collections) {
            checkArgument(
                    name != null && !name.isEmpty() && !name.contains("$"),
                    "collections contains an invalid collection name '%s' (non-empty, no $)",
                    name);
            checkArgument(seen.add(name), "collections names '%s' twice", name);
        }
        this.collections = new ArrayList<>(collections);
        return this;
    }

    /**
     * A regular expression that must match a whole collection name; {@code system.*} collections
     * are never read. At least one collection must match when the job starts. Exclusive with {@link
     * #collections}.
     */
    public MongoSnapshotSourceBuilder collectionRegex(String collectionRegex) {
        checkNotNull(collectionRegex, "collectionRegex must not be null");
        try {
            Pattern.compile(collectionRegex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "collectionRegex '"
                            + collectionRegex
                            + "' is not a valid Java regex: "
                            + e.getDescription(),
                    e);
        }
        this.collectionRegex = collectionRegex;
        return this;
    }

    /**
     * The collections to read, as one selection kept as given: the shorthand (one database) or the
     * namespace form across databases, with their exclusions. Instead of the three setters above.
     */
    public MongoSnapshotSourceBuilder selection(CollectionSelection selection) {
        this.selection = checkNotNull(selection, "selection must not be null");
        return this;
    }

    /** How collections are cut into splits; default {@link PartitionStrategy#COUNT}. */
    public MongoSnapshotSourceBuilder partitionStrategy(PartitionStrategy partitionStrategy) {
        this.partitionStrategy =
                checkNotNull(partitionStrategy, "partitionStrategy must not be null");
        return this;
    }

    /** COUNT: documents per split, at least 1; default {@value #DEFAULT_PARTITION_SIZE}. */
    public MongoSnapshotSourceBuilder partitionSize(long partitionSize) {
        checkArgument(
                partitionSize >= 1, "partitionSize must be at least 1, was %s", partitionSize);
        this.partitionSize = partitionSize;
        return this;
    }

    /** MIN_MAX: splits per collection (per interpolated _id type), at least 1; default 100. */
    public MongoSnapshotSourceBuilder partitionCount(int partitionCount) {
        checkArgument(
                partitionCount >= 1, "partitionCount must be at least 1, was %s", partitionCount);
        this.partitionCount = partitionCount;
        return this;
    }

    /**
     * Most documents one query returns; the next query continues after the last {@code _id}. At
     * least 1; default {@value #DEFAULT_BATCH_READ_LIMIT}.
     */
    public MongoSnapshotSourceBuilder batchReadLimit(int batchReadLimit) {
        checkArgument(
                batchReadLimit >= 1, "batchReadLimit must be at least 1, was %s", batchReadLimit);
        this.batchReadLimit = batchReadLimit;
        return this;
    }

    /**
     * How a split is queried: in batches of {@link #batchReadLimit}, in one query, or auto; default
     * auto.
     */
    public MongoSnapshotSourceBuilder splitQueryMode(SplitQueryMode splitQueryMode) {
        this.splitQueryMode = checkNotNull(splitQueryMode, "splitQueryMode must not be null");
        return this;
    }

    /**
     * Most documents per cursor batch, and per fetch handed to Flink; batches hold about 8 MiB of
     * the collection's average document, at most this. At least 1; default 100.
     */
    public MongoSnapshotSourceBuilder fetchSize(int fetchSize) {
        checkArgument(fetchSize >= 1, "fetchSize must be at least 1, was %s", fetchSize);
        this.fetchSize = fetchSize;
        return this;
    }

    /** Whether cursors are opened with noCursorTimeout; default false. */
    public MongoSnapshotSourceBuilder noCursorTimeout(boolean noCursorTimeout) {
        this.noCursorTimeout = noCursorTimeout;
        return this;
    }

    /**
     * The read concern of every snapshot query (documents and {@code _id} queries); default {@link
     * SnapshotReadConcern#MAJORITY}, so the snapshot never copies a write that a failover rolls
     * back.
     */
    public MongoSnapshotSourceBuilder readConcern(SnapshotReadConcern readConcern) {
        this.readConcern = checkNotNull(readConcern, "readConcern must not be null");
        return this;
    }

    /**
     * Run once per collection before its first split is handed out; default {@link
     * CollectionPreparer#NONE}.
     */
    public MongoSnapshotSourceBuilder collectionPreparer(CollectionPreparer collectionPreparer) {
        this.collectionPreparer =
                checkNotNull(collectionPreparer, "collectionPreparer must not be null");
        return this;
    }

    /**
     * Names a migration that starts now (the collection preparer records it at the target; a
     * restored enumerator keeps the id of its state). Default: a random id.
     */
    public MongoSnapshotSourceBuilder migrationId(String migrationId) {
        this.migrationId = checkNotNull(migrationId, "migrationId must not be null");
        return this;
    }

    /**
     * Keeps the source open while the job runs, as a change stream beside it needs: collections
     * that appear later (unless the selection is an explicit list, looked for every {@code
     * discoveryIntervalMillis}; 0 never) get their own snapshot, and each finished collection is
     * announced to the merge with markers routed by {@code routing} (its parallelism and max
     * parallelism). Default: a bounded snapshot that ends when every selected collection is copied.
     */
    public MongoSnapshotSourceBuilder continuous(
            MarkerRouting routing, long discoveryIntervalMillis) {
        this.markerRouting = checkNotNull(routing, "routing must not be null");
        checkArgument(discoveryIntervalMillis >= 0, "discoveryIntervalMillis must not be negative");
        this.discoveryIntervalMillis = discoveryIntervalMillis;
        return this;
    }

    public MongoSnapshotSource build() {
        checkArgument(connection != null, "connection is required");
        checkArgument(
                selection == null
                        || (database == null && collections == null && collectionRegex == null),
                "selection replaces database, collections and collectionRegex; set either the"
                        + " selection or those");
        checkArgument(
                fetchSize <= batchReadLimit,
                "fetchSize (%s) must not exceed batchReadLimit (%s)",
                fetchSize,
                batchReadLimit);
        return new MongoSnapshotSource(
                new SnapshotSourceOptions(
                        connection,
                        selection != null ? selection : shorthand(),
                        partitionStrategy,
                        partitionSize,
                        partitionCount,
                        batchReadLimit,
                        splitQueryMode,
                        fetchSize,
                        noCursorTimeout,
                        readConcern,
                        collectionPreparer,
                        migrationId != null ? migrationId : java.util.UUID.randomUUID().toString(),
                        markerRouting,
                        discoveryIntervalMillis));
    }

    /** The selection the database, collections and collectionRegex setters make. */
    private CollectionSelection shorthand() {
        checkArgument(database != null, "database is required");
        checkArgument(
                (collections == null) != (collectionRegex == null),
                "exactly one of collections (explicit list) or collectionRegex must be set, got %s",
                collections == null ? "neither" : "both");
        return collections != null
                ? CollectionSelection.of(database, collections)
                : CollectionSelection.matching(database, collectionRegex);
    }
}
