package io.mongoresume.job.precheck;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import io.mongoresume.connectors.common.bson.TypeBracket;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Count, {@code _id} type mix and average document size of one collection; run by {@link
 * PerCollectionChecks}.
 */
final class CollectionStatsCheck {

    /** The data key of the estimated count, which the oplog window adds up. */
    static final String ESTIMATED_COUNT = "estimatedCount";

    CheckResult check(PerCollectionChecks.Measured collection) {
        String name = "collection " + collection.name();
        MongoCollection<RawBsonDocument> coll = collection.documents();
        Map<String, Object> data = new LinkedHashMap<>();
        long count;
        try {
            count = coll.estimatedDocumentCount();
        } catch (MongoException e) {
            return CheckResult.fail(name, "estimatedDocumentCount failed: " + e.getMessage());
        }
        data.put(ESTIMATED_COUNT, count);
        Map<String, Long> mix = new TreeMap<>();
        String method;
        try {
            for (BsonDocument group :
                    coll.aggregate(
                                    List.of(
                                            BsonDocument.parse(
                                                    "{$group: {_id: {$type: '$_id'}, n: {$sum: 1}}}")),
                                    BsonDocument.class)
                            .allowDiskUse(true)) {
                BsonValue type = group.get("_id");
                mix.put(
                        type.isString() ? type.asString().getValue() : type.toString(),
                        group.getNumber("n").longValue());
            }
            method = "$group by $type";
        } catch (MongoException e) {
            mix.clear();
            method =
                    "countDocuments per $type ($group by $type not supported: " + e.getCode() + ")";
            countPerType(coll, mix);
        }
        data.put("idTypes", mix);
        data.put("idTypesMethod", method);
        data.put("averageDocumentBytes", collection.size().averageBytes());
        data.put("averageDocumentSource", collection.size().source());
        data.put("cursorBatchSize", collection.batchSize());
        StringBuilder types = new StringBuilder();
        mix.forEach(
                (t, n) ->
                        types.append(types.length() == 0 ? "" : ", ")
                                .append(t)
                                .append('=')
                                .append(n));
        return CheckResult.pass(
                name,
                count
                        + " documents (estimated); _id types: "
                        + (mix.isEmpty() ? "none (empty)" : types)
                        + " (via "
                        + method
                        + "); average document "
                        + collection.size()
                        + ": cursor batches of "
                        + collection.batchSize()
                        + " documents",
                data);
    }

    /**
     * The fallback for servers without {@code $group} by {@code $type}: one count per type alias.
     */
    private static void countPerType(MongoCollection<RawBsonDocument> coll, Map<String, Long> mix) {
        for (TypeBracket bracket : TypeBracket.values()) {
            for (String alias : bracket.typeAliases()) {
                try {
                    BsonDocument ofType = new BsonDocument("$type", new BsonString(alias));
                    long n = coll.countDocuments(new BsonDocument("_id", ofType));
                    if (n > 0) {
                        mix.put(alias, n);
                    }
                } catch (MongoException unknownAlias) {
                    // The server cannot name this type, so it cannot hold such _ids selectably.
                }
            }
        }
    }
}
