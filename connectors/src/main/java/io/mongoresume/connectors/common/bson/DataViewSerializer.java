package io.mongoresume.connectors.common.bson;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * A versioned serializer whose form is written to and read from Flink's data views, so one
 * serializer can also write its values inside another's bytes (the enumerator states hold splits).
 * The byte-array methods only wrap the views; a read first checks the version ({@link
 * VersionedSerde#checkVersion}).
 */
@Internal
public abstract class DataViewSerializer<T> implements SimpleVersionedSerializer<T> {

    private final int currentVersion;
    private final String what;

    /**
     * @param currentVersion the version this serializer writes; it reads versions 1 to this one
     * @param what what the bytes hold, for the message of a version it cannot read
     */
    protected DataViewSerializer(int currentVersion, String what) {
        this.currentVersion = currentVersion;
        this.what = what;
    }

    @Override
    public final int getVersion() {
        return currentVersion;
    }

    @Override
    public final byte[] serialize(T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serialize(value, out);
        return out.getCopyOfBuffer();
    }

    @Override
    public final T deserialize(int version, byte[] serialized) throws IOException {
        return deserialize(version, new DataInputDeserializer(serialized));
    }

    /** Writes {@code value} in the current version. */
    public abstract void serialize(T value, DataOutputView out) throws IOException;

    /** Reads a value that was written in {@code version}. */
    public final T deserialize(int version, DataInputView in) throws IOException {
        VersionedSerde.checkVersion(version, currentVersion, what);
        return read(version, in);
    }

    /** Reads a value of {@code version}, already known to be one of {@code 1..getVersion()}. */
    protected abstract T read(int version, DataInputView in) throws IOException;
}
