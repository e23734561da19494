package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import io.mongoresume.connectors.common.bson.DataViewSerializer;
import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.common.bson.VersionedSerde;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.snapshot.enumerator.partition.CountScanPosition;
import io.mongoresume.connectors.snapshot.enumerator.partition.PartitionStrategy;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;
import io.mongoresume.connectors.snapshot.split.SnapshotSplitSerializer;
import org.bson.BsonValue;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.mongoresume.connectors.common.bson.VersionedSerde.checkMagic;
import static io.mongoresume.connectors.common.bson.VersionedSerde.readNullableUtf;
import static io.mongoresume.connectors.common.bson.VersionedSerde.writeNullableUtf;
import static io.mongoresume.connectors.snapshot.split.BsonValueSerde.readNullableValue;
import static io.mongoresume.connectors.snapshot.split.BsonValueSerde.readString;
import static io.mongoresume.connectors.snapshot.split.BsonValueSerde.writeNullableValue;
import static io.mongoresume.connectors.snapshot.split.BsonValueSerde.writeString;

/**
 * Serializes {@link SnapshotEnumState}. Its version is its own; the bytes start with a magic number
 * and the version of the {@link SnapshotSplitSerializer} that wrote the pending splits, so either
 * can evolve.
 *
 * <p>Version 1: magic, split serializer version, resolved flag, collections (name, phase, prepared,
 * totals, scan position as bracket name + raw BSON value), pending splits, assigned split ids with
 * their collection, finished split ids.
 *
 * <p>Version 2 appends the partition options the splits were cut with (a presence flag, the
 * strategy name, the partition size and count) and the migration id (a presence flag and the id).
 * Version 1 states restore with neither recorded.
 *
 * <p>Version 3 names each collection, in the collections and as the collection of each assigned
 * split, by its namespace ({@code database.collection}): a job may read several databases. Versions
 * 1 and 2 were written by releases that read one database and named collections within it; they
 * restore under the selection's {@link CollectionSelection#homeDatabase() home database} (the
 * shorthand's {@code source.database}), and cannot restore into a selection across databases.
 */
@Internal
public final class SnapshotEnumStateSerializer extends DataViewSerializer<SnapshotEnumState> {

    public static final int CURRENT_VERSION = 3;

    /** The first version that writes namespaces rather than names within one database. */
    static final int NAMESPACES_VERSION = 3;

    /** "MRSE": mongo-resume snapshot enumerator. */
    static final int MAGIC = 0x4d525345;

    /** The database the collection names of versions before 3 are in; null if there is none. */
    @Nullable private final String homeDatabase;

    /**
     * @param homeDatabase the database of the shorthand selection ({@link
     *     CollectionSelection#homeDatabase()}); null in the namespace form, which cannot restore
     *     states of versions before 3
     */
    public SnapshotEnumStateSerializer(@Nullable String homeDatabase) {
        super(CURRENT_VERSION, "snapshot enumerator state");
        this.homeDatabase = homeDatabase;
    }

    /** A serializer that restores states of earlier releases under the selection's database. */
    public static SnapshotEnumStateSerializer of(CollectionSelection selection) {
        return new SnapshotEnumStateSerializer(selection.homeDatabase());
    }

    @Override
    public void serialize(SnapshotEnumState state, DataOutputView out) throws IOException {
        SnapshotSplitSerializer splits = SnapshotSplitSerializer.INSTANCE;
        out.writeInt(MAGIC);
        out.writeInt(splits.getVersion());
        out.writeBoolean(state.collectionsResolved());
        out.writeInt(state.collections().size());
        for (CollectionProgress c : state.collections()) {
            writeString(c.namespace(), out);
            out.writeUTF(c.phase().name());
            out.writeBoolean(c.prepared());
            out.writeInt(c.splitsTotal());
            out.writeInt(c.splitsFinished());
            Map<TypeBracket, BsonValue> lowers = c.scanPosition().nextLowers();
            out.writeInt(lowers.size());
            for (Map.Entry<TypeBracket, BsonValue> e : lowers.entrySet()) {
                out.writeUTF(e.getKey().name());
                writeNullableValue(e.getValue(), out);
            }
        }
        out.writeInt(state.pendingSplits().size());
        for (SnapshotSplit split : state.pendingSplits()) {
            splits.serialize(split, out);
        }
        out.writeInt(state.assignedSplits().size());
        for (Map.Entry<String, String> e : state.assignedSplits().entrySet()) {
            writeString(e.getKey(), out);
            writeString(e.getValue(), out);
        }
        out.writeInt(state.finishedSplitIds().size());
        for (String id : state.finishedSplitIds()) {
            writeString(id, out);
        }
        PartitionSettings settings = state.partitionSettings();
        out.writeBoolean(settings != null);
        if (settings != null) {
            out.writeUTF(settings.strategy().name());
            out.writeLong(settings.size());
            out.writeInt(settings.count());
        }
        writeNullableUtf(state.migrationId(), out);
    }

    @Override
    protected SnapshotEnumState read(int version, DataInputView in) throws IOException {
        checkMagic(in, MAGIC, "snapshot enumerator state");
        Function<String, String> namespace = namespaces(version);
        int splitVersion = in.readInt();
        boolean resolved = in.readBoolean();
        int collectionCount = in.readInt();
        List<CollectionProgress> collections = new ArrayList<>(collectionCount);
        for (int i = 0; i < collectionCount; i++) {
            String name = namespace.apply(readString(in));
            CollectionPhase phase = enumValue(CollectionPhase.class, in.readUTF());
            boolean prepared = in.readBoolean();
            int total = in.readInt();
            int finished = in.readInt();
            int lowerCount = in.readInt();
            Map<TypeBracket, BsonValue> lowers = new EnumMap<>(TypeBracket.class);
            for (int k = 0; k < lowerCount; k++) {
                TypeBracket bracket = enumValue(TypeBracket.class, in.readUTF());
                lowers.put(bracket, readNullableValue(in));
            }
            collections.add(
                    new CollectionProgress(
                            name, phase, prepared, new CountScanPosition(lowers), total, finished));
        }
        int pendingCount = in.readInt();
        List<SnapshotSplit> pending = new ArrayList<>(pendingCount);
        for (int i = 0; i < pendingCount; i++) {
            pending.add(SnapshotSplitSerializer.INSTANCE.deserialize(splitVersion, in));
        }
        int assignedCount = in.readInt();
        Map<String, String> assigned = new LinkedHashMap<>();
        for (int i = 0; i < assignedCount; i++) {
            String splitId = readString(in);
            assigned.put(splitId, namespace.apply(readString(in)));
        }
        int finishedCount = in.readInt();
        List<String> finishedIds = new ArrayList<>(finishedCount);
        for (int i = 0; i < finishedCount; i++) {
            finishedIds.add(readString(in));
        }
        PartitionSettings settings = null;
        if (version >= 2 && in.readBoolean()) {
            settings =
                    new PartitionSettings(
                            enumValue(PartitionStrategy.class, in.readUTF()),
                            in.readLong(),
                            in.readInt());
        }
        String migrationId = version >= 2 ? readNullableUtf(in) : null;
        return new SnapshotEnumState(
                resolved, collections, pending, assigned, finishedIds, settings, migrationId);
    }

    /**
     * How a collection name read from {@code version} becomes a namespace: as it is from version 3;
     * before, prefixed with the home database.
     */
    private Function<String, String> namespaces(int version) throws IOException {
        if (version >= NAMESPACES_VERSION) {
            return Function.identity();
        }
        if (homeDatabase == null) {
            throw new IOException(
                    "This savepoint or checkpoint (snapshot enumerator state version "
                            + version
                            + ") was written by a release that read one source database, and this"
                            + " job selects collections across databases ("
                            + CollectionSelection.NAMESPACES_OPTION
                            + "). Resume it with source.database (and source.collections or"
                            + " source.collection-regex) set as before, or start a new migration.");
        }
        String database = homeDatabase;
        return collection -> CollectionSelection.namespace(database, collection);
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String name) throws IOException {
        return VersionedSerde.enumValue(type, name, "enumerator state");
    }
}
