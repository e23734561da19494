package io.mongoresume.connectors.snapshot.query;

import org.apache.flink.annotation.Internal;

import com.mongodb.ExplainVerbosity;
import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.conversions.Bson;

import java.util.Set;

/**
 * What the server does for an {@code _id} range query, as its {@code explain} says. A range that is
 * an index scan costs what it returns, so a split can be read in many short queries; a collection
 * scan costs the whole collection per query (views, time-series collections, servers without range
 * use of the {@code _id} index), so a split should be read in one.
 */
@Internal
public enum RangeScanPlan {
    INDEX_SCAN,
    COLLECTION_SCAN,
    /**
     * The server did not explain the query (unsupported command, no permission, unknown plan
     * shape).
     */
    UNKNOWN;

    /** Plan stages that walk an index (or a clustered collection) from the range's start key. */
    private static final Set<String> BOUNDED_STAGES =
            Set.of(
                    "IXSCAN",
                    "EXPRESS_IXSCAN",
                    "CLUSTERED_IXSCAN",
                    "EXPRESS_CLUSTERED_IXSCAN",
                    "IDHACK",
                    "DISTINCT_SCAN");

    /** Asks the server; never throws for an explain the server refuses. */
    public static RangeScanPlan probe(
            MongoCollection<?> collection, BsonDocument filter, Bson sort) {
        try {
            BsonDocument explain =
                    collection
                            .find(filter)
                            .sort(sort)
                            .limit(1)
                            .explain(BsonDocument.class, ExplainVerbosity.QUERY_PLANNER);
            return classify(explain);
        } catch (MongoException e) {
            return UNKNOWN;
        }
    }

    /**
     * Classifies an explain reply: any bounded stage anywhere in the winning plans (classic,
     * slot-based {@code queryPlan}, or per shard) means an index scan; a {@code COLLSCAN} without
     * {@code minRecord} / {@code maxRecord} bounds (which clustered collections use for {@code _id}
     * ranges) means a collection scan.
     */
    public static RangeScanPlan classify(BsonDocument explain) {
        BsonValue planner = explain.get("queryPlanner");
        if (planner == null || !planner.isDocument()) {
            return UNKNOWN;
        }
        Verdict verdict = new Verdict();
        walk(planner.asDocument(), verdict);
        if (verdict.bounded) {
            return INDEX_SCAN;
        }
        return verdict.collectionScan ? COLLECTION_SCAN : UNKNOWN;
    }

    private static void walk(BsonValue value, Verdict verdict) {
        if (value.isArray()) {
            for (BsonValue element : (BsonArray) value) {
                walk(element, verdict);
            }
        } else if (value.isDocument()) {
            BsonDocument doc = value.asDocument();
            BsonValue stage = doc.get("stage");
            if (stage != null && stage.isString()) {
                String name = stage.asString().getValue();
                if (BOUNDED_STAGES.contains(name)) {
                    verdict.bounded = true;
                } else if ("COLLSCAN".equals(name)) {
                    if (doc.containsKey("minRecord") || doc.containsKey("maxRecord")) {
                        verdict.bounded = true;
                    } else {
                        verdict.collectionScan = true;
                    }
                }
            }
            for (String key : doc.keySet()) {
                // Rejected plans are not what the server will run.
                if (!"rejectedPlans".equals(key)) {
                    walk(doc.get(key), verdict);
                }
            }
        }
    }

    private static final class Verdict {
        boolean bounded;
        boolean collectionScan;
    }
}
