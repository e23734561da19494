package io.mongoresume.connectors.cdc.split;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;

import java.io.IOException;

import io.mongoresume.connectors.common.bson.BsonBytes;

/**
 * Versioned binary form of {@link ChangeStreamSplit}: names as UTF, the token as raw BSON bytes (never JSON),
 * the time as its 64-bit value.
 *
 * <p>Version 1: database, collection, [token bytes], [operation time].
 */
@Internal
public final class ChangeStreamSplitSerializer implements SimpleVersionedSerializer<ChangeStreamSplit> {

    public static final ChangeStreamSplitSerializer INSTANCE = new ChangeStreamSplitSerializer();

    public static final int CURRENT_VERSION = 1;

    private ChangeStreamSplitSerializer() {}

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(ChangeStreamSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        write(split, out);
        return out.getCopyOfBuffer();
    }

    @Override
    public ChangeStreamSplit deserialize(int version, byte[] serialized) throws IOException {
        return read(version, new DataInputDeserializer(serialized));
    }

    /** Writes the current version's form; used inside the enumerator state too. */
    public void write(ChangeStreamSplit split, DataOutputView out) throws IOException {
        out.writeUTF(split.database());
        out.writeUTF(split.collection());
        BsonDocument token = split.resumeToken();
        out.writeBoolean(token != null);
        if (token != null) {
            byte[] bytes = BsonBytes.toBytes(token);
            out.writeInt(bytes.length);
            out.write(bytes);
        }
        BsonTimestamp time = split.operationTime();
        out.writeBoolean(time != null);
        if (time != null) {
            out.writeLong(time.getValue());
        }
    }

    public ChangeStreamSplit read(int version, DataInputView in) throws IOException {
        if (version != 1) {
            throw new IOException(
                    "Unknown version of a serialized ChangeStreamSplit: "
                            + version
                            + " (this build reads version "
                            + CURRENT_VERSION
                            + ")");
        }
        String database = in.readUTF();
        String collection = in.readUTF();
        BsonDocument token = null;
        if (in.readBoolean()) {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            token = BsonBytes.toMutableDocument(bytes);
        }
        BsonTimestamp time = in.readBoolean() ? new BsonTimestamp(in.readLong()) : null;
        return new ChangeStreamSplit(database, collection, token, time);
    }
}
