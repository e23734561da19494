package io.mongoresume.connectors.snapshot;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.event.MigrationEventTypeInfo;
import io.mongoresume.connectors.snapshot.enumerator.MongoSourceCatalog;
import io.mongoresume.connectors.snapshot.enumerator.SnapshotEnumState;
import io.mongoresume.connectors.snapshot.enumerator.SnapshotEnumStateSerializer;
import io.mongoresume.connectors.snapshot.enumerator.SnapshotEnumerator;
import io.mongoresume.connectors.snapshot.enumerator.SourceCatalog;
import io.mongoresume.connectors.snapshot.reader.SnapshotSourceReader;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;
import io.mongoresume.connectors.snapshot.split.SnapshotSplitSerializer;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Bounded FLIP-27 source that reads every document of the selected collections once, as {@link
 * MigrationEvent#snapshotRow snapshot rows} carrying the server's raw BSON bytes. The enumerator
 * cuts each collection into {@code _id}-range splits per type bracket; readers resume each split
 * strictly after the last emitted {@code _id}, so a job restored from a checkpoint or savepoint
 * emits no document twice and reads no finished split again.
 *
 * <pre>{@code
 * MongoSnapshotSource source = MongoSnapshotSource.builder()
 *     .connection(MongoConnectionOptions.of("mongodb://host:27017", 30_000))
 *     .database("shop")
 *     .collectionRegex("orders_.*")
 *     .partitionStrategy(PartitionStrategy.COUNT)
 *     .build();
 * env.fromSource(source, WatermarkStrategy.noWatermarks(), "snapshot").uid("snapshot-source");
 * }</pre>
 */
@PublicEvolving
public final class MongoSnapshotSource
        implements Source<MigrationEvent, SnapshotSplit, SnapshotEnumState>,
                ResultTypeQueryable<MigrationEvent> {

    private static final long serialVersionUID = 1L;

    private final SnapshotSourceOptions options;

    MongoSnapshotSource(SnapshotSourceOptions options) {
        this.options = checkNotNull(options);
    }

    public static MongoSnapshotSourceBuilder builder() {
        return new MongoSnapshotSourceBuilder();
    }

    public SnapshotSourceOptions options() {
        return options;
    }

    @Override
    public Boundedness getBoundedness() {
        return options.continuous() ? Boundedness.CONTINUOUS_UNBOUNDED : Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<MigrationEvent, SnapshotSplit> createReader(
            SourceReaderContext readerContext) {
        return SnapshotSourceReader.create(options, readerContext);
    }

    @Override
    public SplitEnumerator<SnapshotSplit, SnapshotEnumState> createEnumerator(
            SplitEnumeratorContext<SnapshotSplit> enumContext) {
        return restoreEnumerator(enumContext, SnapshotEnumState.initial());
    }

    @Override
    public SplitEnumerator<SnapshotSplit, SnapshotEnumState> restoreEnumerator(
            SplitEnumeratorContext<SnapshotSplit> enumContext, SnapshotEnumState checkpoint) {
        SnapshotSourceOptions opts = options;
        SourceCatalog.Factory catalogs =
                () ->
                        new MongoSourceCatalog(
                                opts.connection(), opts.selection(), opts.readConcern());
        return new SnapshotEnumerator(enumContext, options, checkpoint, catalogs);
    }

    @Override
    public SimpleVersionedSerializer<SnapshotSplit> getSplitSerializer() {
        return SnapshotSplitSerializer.INSTANCE;
    }

    /** Restores states of releases that read one database under the selection's database. */
    @Override
    public SimpleVersionedSerializer<SnapshotEnumState> getEnumeratorCheckpointSerializer() {
        return SnapshotEnumStateSerializer.of(options.selection());
    }

    @Override
    public TypeInformation<MigrationEvent> getProducedType() {
        return MigrationEventTypeInfo.INSTANCE;
    }

    @Override
    public String toString() {
        return "MongoSnapshotSource{" + options + '}';
    }
}
