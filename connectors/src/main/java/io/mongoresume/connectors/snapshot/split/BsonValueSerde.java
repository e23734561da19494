package io.mongoresume.connectors.snapshot.split;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import io.mongoresume.connectors.common.bson.BsonBytes;
import org.bson.BsonValue;

import javax.annotation.Nullable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Length-prefixed raw BSON values and UTF-8 strings for the snapshot source's serializers. */
@Internal
public final class BsonValueSerde {

    private BsonValueSerde() {}

    public static void writeNullableValue(@Nullable BsonValue value, DataOutputView out)
            throws IOException {
        if (value == null) {
            out.writeBoolean(false);
            return;
        }
        out.writeBoolean(true);
        byte[] bytes = BsonBytes.valueToBytes(value);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    @Nullable
    public static BsonValue readNullableValue(DataInputView in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        byte[] bytes = new byte[readLength(in)];
        in.readFully(bytes);
        return BsonBytes.valueFromBytes(bytes);
    }

    /** Strings without writeUTF's 64 KB limit. */
    public static void writeString(String value, DataOutputView out) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    public static String readString(DataInputView in) throws IOException {
        byte[] bytes = new byte[readLength(in)];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int readLength(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("Corrupt serialized data: negative length " + length);
        }
        return length;
    }
}
