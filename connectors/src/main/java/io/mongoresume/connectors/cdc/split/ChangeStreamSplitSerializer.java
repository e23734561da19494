package io.mongoresume.connectors.cdc.split;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import io.mongoresume.connectors.common.bson.BsonBytes;
import io.mongoresume.connectors.common.bson.DataViewSerializer;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;

import java.io.IOException;

import static io.mongoresume.connectors.common.bson.VersionedSerde.readNullableBytes;
import static io.mongoresume.connectors.common.bson.VersionedSerde.writeNullableBytes;

/**
 * Versioned binary form of {@link ChangeStreamSplit}: names as UTF, the token as raw BSON bytes
 * (never JSON), the time as its 64-bit value.
 *
 * <p>Version 1: database, collection, [token bytes], [operation time].
 */
@Internal
public final class ChangeStreamSplitSerializer extends DataViewSerializer<ChangeStreamSplit> {

    public static final int CURRENT_VERSION = 1;

    public static final ChangeStreamSplitSerializer INSTANCE = new ChangeStreamSplitSerializer();

    private ChangeStreamSplitSerializer() {
        super(CURRENT_VERSION, "ChangeStreamSplit");
    }

    /** Writes the current version's form; used inside the enumerator state too. */
    @Override
    public void serialize(ChangeStreamSplit split, DataOutputView out) throws IOException {
        out.writeUTF(split.database());
        out.writeUTF(split.collection());
        BsonDocument token = split.resumeToken();
        writeNullableBytes(token == null ? null : BsonBytes.toBytes(token), out);
        BsonTimestamp time = split.operationTime();
        out.writeBoolean(time != null);
        if (time != null) {
            out.writeLong(time.getValue());
        }
    }

    @Override
    protected ChangeStreamSplit read(int version, DataInputView in) throws IOException {
        String database = in.readUTF();
        String collection = in.readUTF();
        byte[] tokenBytes = readNullableBytes(in);
        BsonDocument token = tokenBytes == null ? null : BsonBytes.toMutableDocument(tokenBytes);
        BsonTimestamp time = in.readBoolean() ? new BsonTimestamp(in.readLong()) : null;
        return new ChangeStreamSplit(database, collection, token, time);
    }
}
