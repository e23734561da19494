package io.mongoresume.connectors.common.bson;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import javax.annotation.Nullable;

import java.io.IOException;

/**
 * The checks and small fields the versioned checkpoint serializers share: the version and
 * magic-number checks that open a read, enum constants stored by name, and optional fields stored
 * as a presence flag followed by the value. Each helper reads or writes exactly the bytes its
 * serializers always did.
 */
@Internal
public final class VersionedSerde {

    private VersionedSerde() {}

    /**
     * Throws unless {@code version} is one of {@code 1..currentVersion}; {@code what} names the
     * form.
     */
    public static void checkVersion(int version, int currentVersion, String what)
            throws IOException {
        if (version < 1 || version > currentVersion) {
            throw new IOException(
                    "Unknown version "
                            + version
                            + " of a serialized "
                            + what
                            + " (this build reads "
                            + (currentVersion == 1
                                    ? "version 1"
                                    : "versions 1 to " + currentVersion)
                            + ")");
        }
    }

    /** Reads the leading magic number and throws unless it is {@code magic}. */
    public static void checkMagic(DataInputView in, int magic, String what) throws IOException {
        int read = in.readInt();
        if (read != magic) {
            throw new IOException(
                    "Not a " + what + ": bad magic number " + Integer.toHexString(read));
        }
    }

    /**
     * The constant of {@code type} named {@code name}; an {@link IOException} naming {@code where}
     * if none.
     */
    public static <E extends Enum<E>> E enumValue(Class<E> type, String name, String where)
            throws IOException {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new IOException(
                    "Unknown " + type.getSimpleName() + " '" + name + "' in " + where, e);
        }
    }

    /** A presence flag, then (if present) the length and the bytes. */
    public static void writeNullableBytes(@Nullable byte[] bytes, DataOutputView out)
            throws IOException {
        out.writeBoolean(bytes != null);
        if (bytes != null) {
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    @Nullable
    public static byte[] readNullableBytes(DataInputView in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }

    /** A presence flag, then (if present) the string as modified UTF-8. */
    public static void writeNullableUtf(@Nullable String value, DataOutputView out)
            throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    @Nullable
    public static String readNullableUtf(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
