package io.mongoresume.connectors.cdc.enumerator;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import org.bson.BsonTimestamp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.mongoresume.connectors.cdc.split.ChangeStreamSplit;
import io.mongoresume.connectors.cdc.split.ChangeStreamSplitSerializer;

/**
 * Versioned binary form of {@link ChangeStreamEnumState}. It has its own version and writes the split
 * serializer's version next to the splits, so either can evolve alone.
 *
 * <p>Version 1: magic, initialized, split version, pending splits, known collections, [last poll time].
 */
@Internal
public final class ChangeStreamEnumStateSerializer
        implements SimpleVersionedSerializer<ChangeStreamEnumState> {

    public static final ChangeStreamEnumStateSerializer INSTANCE = new ChangeStreamEnumStateSerializer();

    public static final int CURRENT_VERSION = 1;

    /** Guards against reading bytes that were never written by this serializer. */
    private static final int MAGIC = 0xC0DEC5A1;

    private ChangeStreamEnumStateSerializer() {}

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(ChangeStreamEnumState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(MAGIC);
        out.writeBoolean(state.initialized());
        out.writeInt(ChangeStreamSplitSerializer.CURRENT_VERSION);
        out.writeInt(state.pendingSplits().size());
        for (ChangeStreamSplit split : state.pendingSplits()) {
            ChangeStreamSplitSerializer.INSTANCE.write(split, out);
        }
        out.writeInt(state.knownCollections().size());
        for (String name : state.knownCollections()) {
            out.writeUTF(name);
        }
        BsonTimestamp lastPoll = state.lastPollTime();
        out.writeBoolean(lastPoll != null);
        if (lastPoll != null) {
            out.writeLong(lastPoll.getValue());
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public ChangeStreamEnumState deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) {
            throw new IOException(
                    "Unknown version of a serialized ChangeStreamEnumState: "
                            + version
                            + " (this build reads version "
                            + CURRENT_VERSION
                            + ")");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException("Not a ChangeStreamEnumState: bad magic number " + Integer.toHexString(magic));
        }
        boolean initialized = in.readBoolean();
        int splitVersion = in.readInt();
        int pendingCount = in.readInt();
        List<ChangeStreamSplit> pending = new ArrayList<>(pendingCount);
        for (int i = 0; i < pendingCount; i++) {
            pending.add(ChangeStreamSplitSerializer.INSTANCE.read(splitVersion, in));
        }
        int knownCount = in.readInt();
        List<String> known = new ArrayList<>(knownCount);
        for (int i = 0; i < knownCount; i++) {
            known.add(in.readUTF());
        }
        BsonTimestamp lastPoll = in.readBoolean() ? new BsonTimestamp(in.readLong()) : null;
        return new ChangeStreamEnumState(initialized, pending, known, lastPoll);
    }
}
