package io.mongoresume.job.demo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Per-collection state of the {@link WorkloadGenerator}; touched only by its thread after it
 * started.
 */
final class WorkloadCollection {

    /** How new {@code _id}s look in a collection: like the ones already there. */
    enum IdStyle {
        LONG,
        OBJECT_ID,
        MIXED
    }

    final String name;
    final MongoCollection<Document> collection;
    final IdPool existing = new IdPool();
    final IdPool own = new IdPool();
    long initialCount;
    IdStyle style = IdStyle.MIXED;
    long nextLong;
    int nextObjectIdSeconds;
    long newIds;

    private final long seed;

    WorkloadCollection(String name, MongoCollection<Document> collection, long seed) {
        this.name = name;
        this.collection = collection;
        this.seed = seed;
    }

    /** One ordered {@code _id}-only scan; keeps every k-th id beyond {@code limit}. */
    void loadIds(int limit) {
        long total = collection.countDocuments();
        long stride = Math.max(1, (total + limit - 1) / limit);
        boolean allLong = true;
        boolean allObjectId = true;
        long maxLong = 0;
        int maxSeconds = (int) SampleDocuments.BASE_EPOCH_SECONDS;
        long seen = 0;
        try (MongoCursor<BsonDocument> cursor =
                collection
                        .withDocumentClass(BsonDocument.class)
                        .find()
                        .projection(Projections.include("_id"))
                        .sort(Sorts.ascending("_id"))
                        .batchSize(10_000)
                        .iterator()) {
            while (cursor.hasNext()) {
                BsonValue id = cursor.next().get("_id");
                BsonType type = id.getBsonType();
                allLong &= type == BsonType.INT64 || type == BsonType.INT32;
                allObjectId &= type == BsonType.OBJECT_ID;
                if (type == BsonType.INT64 || type == BsonType.INT32) {
                    maxLong = Math.max(maxLong, id.asNumber().longValue());
                } else if (type == BsonType.OBJECT_ID) {
                    maxSeconds = Math.max(maxSeconds, id.asObjectId().getValue().getTimestamp());
                }
                if (seen++ % stride == 0) {
                    existing.add(id);
                }
            }
        }
        initialCount = seen;
        if (seen > 0 && allLong) {
            style = IdStyle.LONG;
        } else if (seen > 0 && allObjectId) {
            style = IdStyle.OBJECT_ID;
        }
        nextLong = maxLong + 1;
        nextObjectIdSeconds = maxSeconds + 1;
    }

    long liveCount() {
        return existing.size() + own.size();
    }

    IdPool pickPool(SplittableRandom rnd) {
        if (own.size() > 0
                && (existing.size() == 0
                        || rnd.nextInt(WorkloadGenerator.OWN_TARGET_ONE_IN) == 0)) {
            return own;
        }
        return existing;
    }

    /** A fresh {@code _id} in the collection's style, not one the generator knows to exist. */
    BsonValue newId(SplittableRandom rnd) {
        while (true) {
            BsonValue candidate = candidateId(rnd, newIds++);
            if (!existing.contains(candidate) && !own.contains(candidate)) {
                return candidate;
            }
        }
    }

    private BsonValue candidateId(SplittableRandom rnd, long n) {
        switch (style) {
            case LONG:
                return new BsonInt64(nextLong++);
            case OBJECT_ID:
                return new BsonObjectId(objectId(nextObjectIdSeconds, n));
            default:
                switch ((int) (n % 5)) {
                    case 0:
                        return new BsonObjectId(objectId(nextObjectIdSeconds, n));
                    case 1:
                        return new BsonInt64(WorkloadGenerator.MIXED_LONG_ID_BASE + n);
                    case 2:
                        return new BsonString("wl-" + seed + "-" + n);
                    case 3:
                        return new BsonBinary(
                                new UUID(
                                        (rnd.nextLong() & ~0xF000L) | 0x4000L,
                                        (rnd.nextLong() & 0x3FFFFFFFFFFFFFFFL)
                                                | 0x8000000000000000L));
                    default:
                        return new BsonDocument("wl", new BsonInt64(seed))
                                .append("n", new BsonInt32((int) n));
                }
        }
    }

    /** ObjectIds after every existing one: timestamp above the max seen, seed and counter after. */
    private ObjectId objectId(int seconds, long n) {
        ByteBuffer bytes = ByteBuffer.allocate(12);
        bytes.putInt(seconds + (int) (n >>> 32));
        bytes.putInt((int) seed);
        bytes.putInt((int) n);
        return new ObjectId(bytes.array());
    }

    Document newDocument(BsonValue id, SplittableRandom rnd, long opIndex) {
        Document doc = new Document("_id", id);
        doc.putAll(SampleDocuments.body(name, rnd, opIndex, SeedPlan.defaults().withSeed(seed)));
        if (doc.containsKey("email")) {
            // Unique per _id, so inserts and replacements never clash on the unique email index.
            doc.put("email", "wl-" + idToken(id, opIndex) + "@example.com");
        }
        doc.put("lastWorkloadOp", opIndex);
        return doc;
    }

    private String idToken(BsonValue id, long opIndex) {
        if (id.isObjectId()) {
            return id.asObjectId().getValue().toHexString();
        }
        return seed + "-op" + opIndex;
    }
}
