package io.mongoresume.connectors.snapshot.split;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

import io.mongoresume.connectors.common.bson.TypeBracket;

import static io.mongoresume.connectors.snapshot.split.BsonValueSerde.readNullableValue;
import static io.mongoresume.connectors.snapshot.split.BsonValueSerde.readString;
import static io.mongoresume.connectors.snapshot.split.BsonValueSerde.writeNullableValue;
import static io.mongoresume.connectors.snapshot.split.BsonValueSerde.writeString;

/**
 * Serializes {@link SnapshotSplit}s for checkpoints and for the assignment RPC. Bounds and progress
 * are raw BSON (type-exact); the bracket is written by name so reordering the enum cannot corrupt
 * old state.
 *
 * <p>Version 1: id, database, collection, bracket name, lower, upper, lastId, fetchedUpToId,
 * clientFiltered.
 */
@Internal
public final class SnapshotSplitSerializer implements SimpleVersionedSerializer<SnapshotSplit> {

    public static final SnapshotSplitSerializer INSTANCE = new SnapshotSplitSerializer();

    public static final int CURRENT_VERSION = 1;

    private SnapshotSplitSerializer() {}

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(SnapshotSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        serialize(split, out);
        return out.getCopyOfBuffer();
    }

    @Override
    public SnapshotSplit deserialize(int version, byte[] serialized) throws IOException {
        return deserialize(version, new DataInputDeserializer(serialized));
    }

    /** Writes the split in the current version; used by the enumerator-state serializer too. */
    public void serialize(SnapshotSplit split, DataOutputView out) throws IOException {
        writeString(split.splitId(), out);
        writeString(split.database(), out);
        writeString(split.collection(), out);
        out.writeUTF(split.bracket().name());
        writeNullableValue(split.lower(), out);
        writeNullableValue(split.upper(), out);
        writeNullableValue(split.lastId(), out);
        writeNullableValue(split.fetchedUpToId(), out);
        out.writeBoolean(split.clientFiltered());
    }

    public SnapshotSplit deserialize(int version, DataInputView in) throws IOException {
        if (version != 1) {
            throw new IOException(
                    "Unknown snapshot split serializer version "
                            + version
                            + " (this build reads version 1)");
        }
        String splitId = readString(in);
        String database = readString(in);
        String collection = readString(in);
        String bracketName = in.readUTF();
        TypeBracket bracket;
        try {
            bracket = TypeBracket.valueOf(bracketName);
        } catch (IllegalArgumentException e) {
            throw new IOException("Unknown type bracket in snapshot split: " + bracketName, e);
        }
        return new SnapshotSplit(
                splitId,
                database,
                collection,
                bracket,
                readNullableValue(in),
                readNullableValue(in),
                readNullableValue(in),
                readNullableValue(in),
                in.readBoolean());
    }
}
