package io.mongoresume.connectors.cdc.enumerator;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import io.mongoresume.connectors.cdc.offset.StartPosition;
import io.mongoresume.connectors.cdc.split.ChangeStreamSplit;
import io.mongoresume.connectors.cdc.split.ChangeStreamSplitSerializer;
import io.mongoresume.connectors.common.bson.DataViewSerializer;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import org.bson.BsonTimestamp;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.mongoresume.connectors.common.bson.VersionedSerde.checkMagic;
import static io.mongoresume.connectors.common.bson.VersionedSerde.enumValue;
import static io.mongoresume.connectors.common.bson.VersionedSerde.readNullableBytes;
import static io.mongoresume.connectors.common.bson.VersionedSerde.readNullableUtf;
import static io.mongoresume.connectors.common.bson.VersionedSerde.writeNullableBytes;
import static io.mongoresume.connectors.common.bson.VersionedSerde.writeNullableUtf;

/**
 * Versioned binary form of {@link ChangeStreamEnumState}. It has its own version and writes the
 * split serializer's version next to the splits, so either can evolve alone.
 *
 * <p>Version 1: magic, initialized, split version, pending splits, known collections, [last poll
 * time].
 *
 * <p>Version 2 appends [migration id] and [pending start position: kind, operation time, [token
 * bytes], safety margin in milliseconds]. Version 1 states restore with neither.
 *
 * <p>Version 3 writes the known collections as namespaces ({@code database.collection}): a
 * selection may span databases. Versions 1 and 2 wrote collection names of the one database the job
 * read; they are read as namespaces of the selection's {@link
 * io.mongoresume.connectors.common.selection.CollectionSelection#homeDatabase home database}, which
 * a serializer is made with ({@link #forHomeDatabase}).
 */
@Internal
public final class ChangeStreamEnumStateSerializer
        extends DataViewSerializer<ChangeStreamEnumState> {

    public static final int CURRENT_VERSION = 3;

    /** The first version whose known collections are namespaces. */
    private static final int NAMESPACES_VERSION = 3;

    /** Guards against reading bytes that were never written by this serializer. */
    private static final int MAGIC = 0xC0DEC5A1;

    /** The database states before version 3 name their collections in; null if none. */
    @Nullable private final String homeDatabase;

    private ChangeStreamEnumStateSerializer(@Nullable String homeDatabase) {
        super(CURRENT_VERSION, "ChangeStreamEnumState");
        this.homeDatabase = homeDatabase;
    }

    /**
     * A serializer for a source whose selection has {@code homeDatabase} (its {@link
     * io.mongoresume.connectors.common.selection.CollectionSelection#homeDatabase}): states of
     * versions before 3 are read as collections of it. Null for a selection across databases, which
     * cannot restore such a state.
     */
    public static ChangeStreamEnumStateSerializer forHomeDatabase(@Nullable String homeDatabase) {
        return new ChangeStreamEnumStateSerializer(homeDatabase);
    }

    @Override
    public void serialize(ChangeStreamEnumState state, DataOutputView out) throws IOException {
        out.writeInt(MAGIC);
        out.writeBoolean(state.initialized());
        out.writeInt(ChangeStreamSplitSerializer.CURRENT_VERSION);
        out.writeInt(state.pendingSplits().size());
        for (ChangeStreamSplit split : state.pendingSplits()) {
            ChangeStreamSplitSerializer.INSTANCE.serialize(split, out);
        }
        out.writeInt(state.knownNamespaces().size());
        for (String name : state.knownNamespaces()) {
            out.writeUTF(name);
        }
        BsonTimestamp lastPoll = state.lastPollTime();
        out.writeBoolean(lastPoll != null);
        if (lastPoll != null) {
            out.writeLong(lastPoll.getValue());
        }
        writeNullableUtf(state.migrationId(), out);
        StartPosition start = state.pendingStart();
        out.writeBoolean(start != null);
        if (start != null) {
            out.writeUTF(start.kind().name());
            out.writeLong(start.operationTimeValue());
            writeNullableBytes(start.resumeTokenBytes(), out);
            out.writeLong(start.safetyMargin().toMillis());
        }
    }

    @Override
    protected ChangeStreamEnumState read(int version, DataInputView in) throws IOException {
        checkMagic(in, MAGIC, "ChangeStreamEnumState");
        if (version < NAMESPACES_VERSION && homeDatabase == null) {
            throw writtenForOneDatabase(version);
        }
        boolean initialized = in.readBoolean();
        int splitVersion = in.readInt();
        int pendingCount = in.readInt();
        List<ChangeStreamSplit> pending = new ArrayList<>(pendingCount);
        for (int i = 0; i < pendingCount; i++) {
            pending.add(ChangeStreamSplitSerializer.INSTANCE.deserialize(splitVersion, in));
        }
        int knownCount = in.readInt();
        Set<String> known = new TreeSet<>();
        for (int i = 0; i < knownCount; i++) {
            String name = in.readUTF();
            known.add(
                    version >= NAMESPACES_VERSION
                            ? name
                            : CollectionSelection.namespace(homeDatabase, name));
        }
        BsonTimestamp lastPoll = in.readBoolean() ? new BsonTimestamp(in.readLong()) : null;
        if (version == 1) {
            return new ChangeStreamEnumState(initialized, pending, known, lastPoll);
        }
        String migrationId = readNullableUtf(in);
        StartPosition start = null;
        if (in.readBoolean()) {
            StartPosition.Kind kind =
                    enumValue(
                            StartPosition.Kind.class,
                            in.readUTF(),
                            "change-stream enumerator state");
            long operationTime = in.readLong();
            byte[] token = readNullableBytes(in);
            start =
                    StartPosition.of(
                            kind, operationTime, token, java.time.Duration.ofMillis(in.readLong()));
        }
        return new ChangeStreamEnumState(initialized, pending, known, lastPoll, migrationId, start);
    }

    private static IOException writtenForOneDatabase(int version) {
        return new IOException(
                "The change-stream enumerator state (version "
                        + version
                        + ") was written by a release that read one database; its collections"
                        + " cannot be placed in this job's selection across databases ("
                        + CollectionSelection.NAMESPACES_OPTION
                        + "). Resume this savepoint with source.database (and "
                        + CollectionSelection.LIST_OPTION
                        + " or "
                        + CollectionSelection.REGEX_OPTION
                        + ") as before.");
    }
}
