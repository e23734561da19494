package io.mongoresume.connectors.cdc;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import io.mongoresume.connectors.cdc.enumerator.ChangeStreamEnumState;
import io.mongoresume.connectors.cdc.enumerator.ChangeStreamEnumStateSerializer;
import io.mongoresume.connectors.cdc.enumerator.ChangeStreamEnumerator;
import io.mongoresume.connectors.cdc.offset.StartPosition;
import io.mongoresume.connectors.cdc.reader.ChangeStreamMetrics;
import io.mongoresume.connectors.cdc.reader.ChangeStreamRecordEmitter;
import io.mongoresume.connectors.cdc.reader.ChangeStreamSourceReader;
import io.mongoresume.connectors.cdc.reader.ChangeStreamSplitReader;
import io.mongoresume.connectors.cdc.split.ChangeStreamSplit;
import io.mongoresume.connectors.cdc.split.ChangeStreamSplitSerializer;
import io.mongoresume.connectors.common.StartGate;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.event.MigrationEventTypeInfo;

import javax.annotation.Nullable;

import java.util.List;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Unbounded FLIP-27 source of the change events of the selected collections, of one database or
 * across databases (a {@link CollectionSelection}; docs/design.md §4): one split per namespace,
 * each resuming exactly from the token of its last emitted event.
 *
 * <pre>{@code
 * ChangeStreamSource source = ChangeStreamSource.builder()
 *     .connection(MongoConnectionOptions.of("mongodb://...", 10_000))
 *     .database("shop")
 *     .collectionRegex("orders|customers_.*")
 *     .startPosition(ClusterTimeCapture.capture(connection, "shop", List.of("orders")))
 *     .build();
 * env.fromSource(source, ChangeStreamSource.watermarkStrategy(), "cdc").uid("cdc-source");
 * }</pre>
 *
 * Emits INSERT / UPDATE (full document) / DELETE / DROP_COLLECTION / CREATE_COLLECTION events, in
 * source order per collection.
 */
@PublicEvolving
public final class ChangeStreamSource
        implements Source<MigrationEvent, ChangeStreamSplit, ChangeStreamEnumState>,
                ResultTypeQueryable<MigrationEvent> {

    private static final long serialVersionUID = 1L;

    public static final long DEFAULT_DISCOVERY_INTERVAL_MILLIS = 5000;
    public static final int DEFAULT_FETCH_SIZE = 100;

    private final MongoConnectionOptions connection;
    private final CollectionSelection selection;
    private final StartPosition startPosition;
    private final boolean fullDocument;
    private final long discoveryIntervalMillis;
    private final int fetchSize;
    private final StartGate startGate;
    private final String migrationId;
    private final List<String> namespacesAtStart;

    ChangeStreamSource(
            MongoConnectionOptions connection,
            CollectionSelection selection,
            StartPosition startPosition,
            boolean fullDocument,
            long discoveryIntervalMillis,
            int fetchSize,
            StartGate startGate,
            String migrationId,
            List<String> namespacesAtStart) {
        this.connection = connection;
        this.selection = selection;
        this.startPosition = startPosition;
        this.fullDocument = fullDocument;
        this.discoveryIntervalMillis = discoveryIntervalMillis;
        this.fetchSize = fetchSize;
        this.startGate = startGate;
        this.migrationId = migrationId;
        this.namespacesAtStart = namespacesAtStart;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The watermark strategy to use with this source: a constant maximum ({@link
     * MaxWatermarkGenerator}), so this input never holds back an operator that also reads another
     * input. Record timestamps are the events' source times.
     */
    public static WatermarkStrategy<MigrationEvent> watermarkStrategy() {
        return WatermarkStrategy.<MigrationEvent>forGenerator(ctx -> new MaxWatermarkGenerator())
                .withTimestampAssigner((event, previous) -> event.sourceTimeMillis());
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<MigrationEvent, ChangeStreamSplit> createReader(
            SourceReaderContext readerContext) {
        ChangeStreamMetrics metrics = new ChangeStreamMetrics(readerContext.metricGroup());
        return new ChangeStreamSourceReader(
                () ->
                        new ChangeStreamSplitReader(
                                connection, fullDocument, fetchSize, startPosition),
                new ChangeStreamRecordEmitter(metrics),
                readerContext,
                selection);
    }

    @Override
    public SplitEnumerator<ChangeStreamSplit, ChangeStreamEnumState> createEnumerator(
            SplitEnumeratorContext<ChangeStreamSplit> context) {
        return restoreEnumerator(context, ChangeStreamEnumState.initial());
    }

    @Override
    public SplitEnumerator<ChangeStreamSplit, ChangeStreamEnumState> restoreEnumerator(
            SplitEnumeratorContext<ChangeStreamSplit> context, ChangeStreamEnumState state) {
        return new ChangeStreamEnumerator(
                context,
                connection,
                selection,
                startPosition,
                discoveryIntervalMillis,
                startGate,
                migrationId,
                namespacesAtStart,
                state);
    }

    @Override
    public SimpleVersionedSerializer<ChangeStreamSplit> getSplitSerializer() {
        return ChangeStreamSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<ChangeStreamEnumState> getEnumeratorCheckpointSerializer() {
        // States written before selections spanned databases name collections of this database.
        return ChangeStreamEnumStateSerializer.forHomeDatabase(selection.homeDatabase());
    }

    @Override
    public TypeInformation<MigrationEvent> getProducedType() {
        return MigrationEventTypeInfo.INSTANCE;
    }

    public CollectionSelection selection() {
        return selection;
    }

    public StartPosition startPosition() {
        return startPosition;
    }

    @Override
    public String toString() {
        return "ChangeStreamSource{" + connection + ", " + selection + ", " + startPosition + '}';
    }

    /** Builder of {@link ChangeStreamSource}; {@link #build()} checks the combination. */
    @PublicEvolving
    public static final class Builder {
        private MongoConnectionOptions connection;
        @Nullable private CollectionSelection selection;
        @Nullable private String database;
        @Nullable private List<String> collections;
        @Nullable private String collectionRegex;
        private StartPosition startPosition = StartPosition.capturedAtFirstStart();
        private boolean fullDocument = true;
        private long discoveryIntervalMillis = DEFAULT_DISCOVERY_INTERVAL_MILLIS;
        private int fetchSize = DEFAULT_FETCH_SIZE;
        private StartGate startGate = StartGate.OPEN;
        @Nullable private String migrationId;
        private List<String> namespacesAtStart = List.of();

        private Builder() {}

        public Builder connection(MongoConnectionOptions connection) {
            this.connection = checkNotNull(connection, "connection");
            return this;
        }

        public Builder database(String database) {
            this.database = checkNotNull(database, "database");
            return this;
        }

        /**
         * An explicit list of collections (they need not exist yet); excludes {@link
         * #collectionRegex}.
         */
        public Builder collections(List<String> collections) {
            this.collections = List.copyOf(checkNotNull(collections, "collections"));
            return this;
        }

        /**
         * Collections whose whole name matches this regex (system collections excluded);
         * collections created later are picked up while {@link #discoveryIntervalMillis} is
         * positive.
         */
        public Builder collectionRegex(String collectionRegex) {
            this.collectionRegex = checkNotNull(collectionRegex, "collectionRegex");
            return this;
        }

        /**
         * The namespaces to follow, as one selection of either form, kept as given (exclusions and
         * patterns across databases included); instead of the setters above.
         */
        public Builder selection(CollectionSelection selection) {
            this.selection = checkNotNull(selection, "selection");
            return this;
        }

        /** Where a fresh start begins; ignored on restore (the splits' resume points win). */
        public Builder startPosition(StartPosition startPosition) {
            this.startPosition = checkNotNull(startPosition, "startPosition");
            return this;
        }

        /**
         * Whether updates carry the looked-up full document ({@code updateLookup}); only true is
         * supported.
         */
        public Builder fullDocument(boolean fullDocument) {
            this.fullDocument = fullDocument;
            return this;
        }

        /**
         * How often to look for new collections matching the regex; {@code <= 0} turns discovery
         * off.
         */
        public Builder discoveryIntervalMillis(long discoveryIntervalMillis) {
            this.discoveryIntervalMillis = discoveryIntervalMillis;
            return this;
        }

        /** The change stream's batch size and the most entries taken from one stream per turn. */
        public Builder fetchSize(int fetchSize) {
            this.fetchSize = fetchSize;
            return this;
        }

        /**
         * What a fresh start waits for before any stream is read (e.g. the target being prepared: a
         * change written before its collection is cleared would be cleared with it). Default {@link
         * StartGate#OPEN}.
         */
        public Builder startGate(StartGate startGate) {
            this.startGate = checkNotNull(startGate, "startGate");
            return this;
        }

        /**
         * Names a migration that starts now (what the start gate is asked about; a restored
         * enumerator keeps the id of its state). Default: a random id.
         */
        public Builder migrationId(String migrationId) {
            this.migrationId = checkNotNull(migrationId, "migrationId");
            return this;
        }

        /**
         * The namespaces ({@code database.collection}) the job resolved at its start (what its
         * snapshot copies): at a first start each gets a stream even if it is dropped before the
         * enumerator lists (so its changes and its drop are not missed); a stream of one dropped
         * before the start position simply sees nothing. Default: none.
         */
        public Builder namespacesAtStart(List<String> namespaces) {
            this.namespacesAtStart = List.copyOf(checkNotNull(namespaces, "namespaces"));
            return this;
        }

        public ChangeStreamSource build() {
            checkNotNull(connection, "connection is required");
            checkArgument(
                    selection == null
                            || (database == null && collections == null && collectionRegex == null),
                    "Give either a selection or database with collections/collectionRegex, not"
                            + " both");
            CollectionSelection selection = this.selection != null ? this.selection : shorthand();
            checkArgument(
                    fullDocument,
                    "fullDocument=false is not supported yet: without the looked-up full document an update"
                            + " only carries its changed fields, and the merge needs 'the document is now X'"
                            + " to converge. Partial updates are not yet supported with the"
                            + " merge; use fullDocument=true (updateLookup).");
            checkArgument(fetchSize > 0, "fetchSize must be positive");
            return new ChangeStreamSource(
                    connection,
                    selection,
                    startPosition,
                    fullDocument,
                    discoveryIntervalMillis,
                    fetchSize,
                    startGate,
                    migrationId != null ? migrationId : java.util.UUID.randomUUID().toString(),
                    namespacesAtStart);
        }

        /** The selection the database and collections/collectionRegex setters give. */
        private CollectionSelection shorthand() {
            checkArgument(database != null && !database.isEmpty(), "database is required");
            checkArgument(
                    (collections == null) != (collectionRegex == null),
                    "Give either collections or collectionRegex, not both and not neither");
            try {
                return collections != null
                        ? CollectionSelection.of(database, collections)
                        : CollectionSelection.matching(database, collectionRegex);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        (collections != null
                                        ? "Invalid collections: "
                                        : "Invalid collectionRegex: ")
                                + e.getMessage(),
                        e);
            }
        }
    }
}
