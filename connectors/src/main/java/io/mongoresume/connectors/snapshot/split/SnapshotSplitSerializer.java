package io.mongoresume.connectors.snapshot.split;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import io.mongoresume.connectors.common.bson.DataViewSerializer;
import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.common.read.DocumentSize;
import io.mongoresume.connectors.snapshot.query.CollectionReadPlan;
import io.mongoresume.connectors.snapshot.query.RangeScanPlan;
import org.bson.BsonValue;

import javax.annotation.Nullable;

import java.io.IOException;

import static io.mongoresume.connectors.common.bson.VersionedSerde.enumValue;
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
 *
 * <p>Version 2: version 1, then the collection's read plan: a presence flag, then the range plan's
 * name, the average document size (-1: unknown) and where it came from. Version 1 splits
 * deserialize without a read plan.
 */
@Internal
public final class SnapshotSplitSerializer extends DataViewSerializer<SnapshotSplit> {

    public static final int CURRENT_VERSION = 2;

    public static final SnapshotSplitSerializer INSTANCE = new SnapshotSplitSerializer();

    private SnapshotSplitSerializer() {
        super(CURRENT_VERSION, "snapshot split");
    }

    /** Writes the split in the current version; used by the enumerator-state serializer too. */
    @Override
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
        CollectionReadPlan plan = split.readPlan();
        out.writeBoolean(plan != null);
        if (plan != null) {
            out.writeUTF(plan.rangeScan().name());
            out.writeLong(plan.documentSize().averageBytes());
            writeString(plan.documentSize().source(), out);
        }
    }

    @Override
    protected SnapshotSplit read(int version, DataInputView in) throws IOException {
        String splitId = readString(in);
        String database = readString(in);
        String collection = readString(in);
        TypeBracket bracket = enumValue(TypeBracket.class, in.readUTF(), "snapshot split");
        BsonValue lower = readNullableValue(in);
        BsonValue upper = readNullableValue(in);
        BsonValue lastId = readNullableValue(in);
        BsonValue fetchedUpToId = readNullableValue(in);
        boolean clientFiltered = in.readBoolean();
        CollectionReadPlan plan = version >= 2 ? readPlan(in) : null;
        return new SnapshotSplit(
                splitId,
                database,
                collection,
                bracket,
                lower,
                upper,
                lastId,
                fetchedUpToId,
                clientFiltered,
                plan);
    }

    @Nullable
    private static CollectionReadPlan readPlan(DataInputView in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        RangeScanPlan rangeScan = enumValue(RangeScanPlan.class, in.readUTF(), "snapshot split");
        long averageBytes = in.readLong();
        String source = readString(in);
        return new CollectionReadPlan(rangeScan, DocumentSize.of(averageBytes, source));
    }
}
