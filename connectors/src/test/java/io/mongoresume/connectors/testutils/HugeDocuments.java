package io.mongoresume.connectors.testutils;

import com.mongodb.client.MongoCollection;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;

/**
 * Documents near the 16 MB limit among small ones: three of them make a reply above the driver's 48
 * MB limit, which the embedded server (it puts a whole cursor batch into one reply) sends all the
 * same.
 */
public final class HugeDocuments {

    /** 15.5 MiB of payload. */
    public static final int HUGE_CHARS = 31 << 19;

    private HugeDocuments() {}

    /**
     * Inserts {@code {_id: i, p: ...}} for i in [0, count), one by one: {@code p} is {@link
     * #HUGE_CHARS} long for the three ids from {@code firstHuge}, else {@code smallPrefix + i}.
     */
    public static void insertThreeAmongSmall(
            MongoCollection<BsonDocument> collection,
            int count,
            int firstHuge,
            String smallPrefix) {
        String big = "x".repeat(HUGE_CHARS);
        for (int i = 0; i < count; i++) {
            boolean huge = i >= firstHuge && i < firstHuge + 3;
            BsonString payload = new BsonString(huge ? big : smallPrefix + i);
            collection.insertOne(new BsonDocument("_id", new BsonInt32(i)).append("p", payload));
        }
    }
}
