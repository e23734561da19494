package io.mongoresume.connectors.snapshot;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertManyOptions;
import io.mongoresume.connectors.common.bson.BsonBytes;
import io.mongoresume.connectors.event.EventKeys;
import org.bson.BsonBinary;
import org.bson.BsonBinarySubType;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** Documents and _id mixes shared by the snapshot tests. */
public final class SnapshotTestData {

    private SnapshotTestData() {}

    /** The int32 {@code _id}s 0, 1, ... {@code count - 1}, in order. */
    public static List<BsonValue> intIds(int count) {
        List<BsonValue> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(new BsonInt32(i));
        }
        return ids;
    }

    /**
     * {@code _id}s of every bracket a collection can hold: many numbers (int, long, double,
     * decimal), strings (incl. non-ASCII), ObjectIds, binaries of two subtypes, embedded documents
     * and dates, plus a few of the rare brackets. No two are numerically equal (MongoDB would see
     * duplicates).
     */
    public static List<BsonValue> mixedIds(int perBracket) {
        Random random = new Random(42);
        List<BsonValue> ids = new ArrayList<>();
        for (int i = 0; i < perBracket; i++) {
            switch (i % 4) {
                case 0:
                    ids.add(new BsonInt32(i));
                    break;
                case 1:
                    ids.add(new BsonInt64(10_000_000_000L + i));
                    break;
                case 2:
                    ids.add(new BsonDouble(i + 0.5));
                    break;
                default:
                    ids.add(new BsonDecimal128(new Decimal128(new BigDecimal(i + ".25"))));
            }
            ids.add(new BsonString((i % 3 == 0 ? "é-" : i % 3 == 1 ? "用户-" : "key-") + i));
            ids.add(
                    new BsonObjectId(
                            new ObjectId(new java.util.Date(1_600_000_000_000L + i * 1000L), i)));
            ids.add(
                    i % 5 == 0
                            ? new BsonBinary(BsonBinarySubType.BINARY, uniqueBytes(random, i))
                            : new BsonBinary(new UUID(random.nextLong(), random.nextLong())));
            ids.add(new BsonDocument("a", new BsonInt32(i)).append("b", new BsonString("x")));
            ids.add(
                    new BsonDateTime(
                            1_500_000_000_000L + i * 3_600_000L - (i % 2) * 10_000_000_000_000L));
        }
        ids.add(new BsonMinKey());
        ids.add(new BsonMaxKey());
        ids.add(BsonNull.VALUE);
        ids.add(BsonBoolean.TRUE);
        ids.add(BsonBoolean.FALSE);
        ids.add(new BsonTimestamp(1_700_000_000, 1));
        ids.add(new BsonTimestamp(1_700_000_000, 2));
        return ids;
    }

    /** Distinct per i: the 4 bytes of i, then 0..12 random bytes (so lengths vary). */
    private static byte[] uniqueBytes(Random random, int i) {
        byte[] bytes = new byte[4 + i % 13];
        random.nextBytes(bytes);
        java.nio.ByteBuffer.wrap(bytes).putInt(i);
        return bytes;
    }

    public static BsonDocument document(BsonValue id, int n) {
        return new BsonDocument("_id", id)
                .append("n", new BsonInt32(n))
                .append("long", new BsonInt64(n * 1_000_003L))
                .append("text", new BsonString("document number " + n + " ✓"))
                .append("nested", new BsonDocument("d", new BsonDouble(n / 7.0)));
    }

    public static void insertAll(MongoCollection<BsonDocument> collection, List<BsonValue> ids) {
        List<BsonDocument> batch = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            batch.add(document(ids.get(i), i));
            if (batch.size() == 1000) {
                collection.insertMany(batch, new InsertManyOptions().ordered(true));
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            collection.insertMany(batch);
        }
    }

    /** Event key to the exact bytes the server returns for each document of the collection. */
    static Map<String, byte[]> sourceDocuments(MongoCollection<BsonDocument> collection) {
        String db = collection.getNamespace().getDatabaseName();
        String coll = collection.getNamespace().getCollectionName();
        Map<String, byte[]> result = new HashMap<>();
        for (RawBsonDocument doc : collection.withDocumentClass(RawBsonDocument.class).find()) {
            result.put(EventKeys.key(db, coll, doc.get("_id")), BsonBytes.toBytes(doc));
        }
        return result;
    }
}
