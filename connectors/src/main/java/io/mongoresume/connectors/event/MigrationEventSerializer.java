package io.mongoresume.connectors.event;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import javax.annotation.Nullable;

import java.io.IOException;

/**
 * Flink serializer for {@link MigrationEvent}: kind code, namespace, length-prefixed raw BSON for
 * the id and the document (-1 for absent), source time. The snapshot class carries the format's
 * version.
 */
public final class MigrationEventSerializer extends TypeSerializerSingleton<MigrationEvent> {

    private static final long serialVersionUID = 1L;

    public static final MigrationEventSerializer INSTANCE = new MigrationEventSerializer();

    private MigrationEventSerializer() {}

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public MigrationEvent createInstance() {
        return null;
    }

    @Override
    public MigrationEvent copy(MigrationEvent from) {
        return from;
    }

    @Override
    public MigrationEvent copy(MigrationEvent from, MigrationEvent reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(MigrationEvent event, DataOutputView out) throws IOException {
        out.writeByte(event.kind().code());
        out.writeUTF(event.database());
        out.writeUTF(event.collection());
        writeBytes(event.idBytes(), out);
        writeBytes(event.documentBytes(), out);
        out.writeLong(event.sourceTimeMillis());
    }

    @Override
    public MigrationEvent deserialize(DataInputView in) throws IOException {
        EventKind kind = EventKind.fromCode(in.readByte());
        String database = in.readUTF();
        String collection = in.readUTF();
        byte[] id = readBytes(in);
        byte[] document = readBytes(in);
        long time = in.readLong();
        return new MigrationEvent(kind, database, collection, id, document, time);
    }

    @Override
    public MigrationEvent deserialize(MigrationEvent reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<MigrationEvent> snapshotConfiguration() {
        return new MigrationEventSerializerSnapshot();
    }

    private static void writeBytes(@Nullable byte[] bytes, DataOutputView out) throws IOException {
        if (bytes == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    @Nullable
    private static byte[] readBytes(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    /**
     * Version 1: the layout above. A changed layout gets a new version and keeps reading this one.
     */
    public static final class MigrationEventSerializerSnapshot
            extends SimpleTypeSerializerSnapshot<MigrationEvent> {
        public MigrationEventSerializerSnapshot() {
            super(() -> INSTANCE);
        }
    }
}
