package io.mongoresume.connectors.destination;

import org.apache.flink.annotation.VisibleForTesting;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.mongoresume.connectors.common.MongoErrors;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives a target collection the shape of its source collection: created with the source's options
 * when it is missing, and the source's indexes (all but {@code _id_}, with their keys and options
 * as listed by the source). What the target rejects or ignores is a WARN naming the index and the
 * option, never a failure.
 */
final class TargetCollectionShape {

    /** Logged as the preparer, whose lines these are. */
    private static final Logger LOG = LoggerFactory.getLogger(TargetPreparer.class);

    static final String ID_INDEX_NAME = "_id_";

    static final String COPIED_OPTIONS_TEXT =
            "capped, size, max, collation, timeseries, expireAfterSeconds, clusteredIndex";

    private static final Set<String> COPIED_OPTIONS =
            Set.of(
                    "capped",
                    "size",
                    "max",
                    "collation",
                    "timeseries",
                    "expireAfterSeconds",
                    "clusteredIndex");

    /**
     * Fields of a listed index spec that describe the server's storage, not the index to create.
     */
    private static final Set<String> NON_OPTION_FIELDS = Set.of("v", "ns");

    private TargetCollectionShape() {}

    /**
     * The collection's {@code listCollections} entry, matched here rather than by a server-side
     * name filter: the embedded test server ignores that filter and returns the database's first
     * collection.
     */
    @Nullable
    static BsonDocument collectionInfo(MongoDatabase db, String collection) {
        for (BsonDocument info : db.listCollections(BsonDocument.class)) {
            if (collection.equals(info.getString("name", new BsonString("")).getValue())) {
                return info;
            }
        }
        return null;
    }

    static void createLike(
            MongoDatabase db,
            String collection,
            BsonDocument sourceInfo,
            String targetNs,
            List<String> warnings) {
        BsonDocument command = new BsonDocument("create", new BsonString(collection));
        BsonDocument options = sourceInfo.getDocument("options", new BsonDocument());
        for (Map.Entry<String, BsonValue> option : options.entrySet()) {
            if (COPIED_OPTIONS.contains(option.getKey())) {
                command.append(option.getKey(), option.getValue());
            }
        }
        try {
            db.runCommand(command);
            LOG.info("Created target {} with {}", targetNs, command);
        } catch (MongoCommandException e) {
            if (e.getErrorCode() == MongoErrors.NAMESPACE_EXISTS) {
                // A collection found while the job runs: its change stream may have written (and so
                // created
                // it) between the listing and here. It is kept, as a discovered collection always
                // is.
                LOG.info(
                        "Target {} was created meanwhile (by its change events); keeping it",
                        targetNs);
                return;
            }
            warn(
                    warnings,
                    "Target %s could not be created with the source's options %s (%s); creating it plain",
                    targetNs,
                    command,
                    e.getErrorMessage());
            try {
                db.createCollection(collection);
            } catch (MongoCommandException again) {
                if (again.getErrorCode() != MongoErrors.NAMESPACE_EXISTS) {
                    throw again;
                }
            }
        }
    }

    static void copyIndexes(
            MongoCollection<BsonDocument> src,
            MongoDatabase dstDb,
            MongoCollection<BsonDocument> dst,
            String targetNs,
            List<String> warnings) {
        List<BsonDocument> wanted = new ArrayList<>();
        try {
            for (BsonDocument spec : src.listIndexes(BsonDocument.class)) {
                String name = spec.getString("name").getValue();
                if (ID_INDEX_NAME.equals(name)) {
                    continue;
                }
                BsonDocument clean = new BsonDocument();
                for (Map.Entry<String, BsonValue> field : spec.entrySet()) {
                    if (!NON_OPTION_FIELDS.contains(field.getKey())) {
                        clean.append(field.getKey(), field.getValue());
                    }
                }
                wanted.add(clean);
            }
        } catch (MongoCommandException e) {
            if (e.getErrorCode() == MongoErrors.NAMESPACE_NOT_FOUND) {
                return;
            }
            throw e;
        }
        List<BsonDocument> created = new ArrayList<>();
        for (BsonDocument spec : wanted) {
            String name = spec.getString("name").getValue();
            try {
                dstDb.runCommand(
                        new BsonDocument(
                                        "createIndexes",
                                        new BsonString(dst.getNamespace().getCollectionName()))
                                .append("indexes", new BsonArray(List.of(spec))));
                created.add(spec);
            } catch (MongoCommandException e) {
                warn(
                        warnings,
                        "Index '%s' %s was not created on %s: error %d (%s)",
                        name,
                        spec,
                        targetNs,
                        e.getErrorCode(),
                        e.getErrorMessage());
            }
        }
        if (created.isEmpty()) {
            return;
        }
        Map<String, BsonDocument> listed = new LinkedHashMap<>();
        for (BsonDocument spec : dst.listIndexes(BsonDocument.class)) {
            listed.put(spec.getString("name").getValue(), spec);
        }
        for (BsonDocument spec : created) {
            String name = spec.getString("name").getValue();
            BsonDocument actual = listed.get(name);
            if (actual == null) {
                warn(
                        warnings,
                        "Index '%s' was accepted by %s but is not listed: the target ignored it",
                        name,
                        targetNs);
                continue;
            }
            for (Map.Entry<String, BsonValue> option : spec.entrySet()) {
                BsonValue got = actual.get(option.getKey());
                if (!sameValue(option.getValue(), got)) {
                    warn(
                            warnings,
                            "Index '%s' on %s: the target ignored option '%s' (source %s, target %s)",
                            name,
                            targetNs,
                            option.getKey(),
                            option.getValue(),
                            got == null ? "absent" : got);
                }
            }
            LOG.info("Index '{}' is on {}", name, targetNs);
        }
    }

    /**
     * Value equality with numbers compared by value (an index key of 1 may come back as 1.0 or 1L).
     */
    @VisibleForTesting
    static boolean sameValue(@Nullable BsonValue a, @Nullable BsonValue b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.asNumber().doubleValue() == b.asNumber().doubleValue();
        }
        if (a.isDocument() && b.isDocument()) {
            BsonDocument da = a.asDocument();
            BsonDocument db = b.asDocument();
            if (da.size() != db.size()) {
                return false;
            }
            Iterator<Map.Entry<String, BsonValue>> ia = da.entrySet().iterator();
            Iterator<Map.Entry<String, BsonValue>> ib = db.entrySet().iterator();
            while (ia.hasNext()) {
                Map.Entry<String, BsonValue> ea = ia.next();
                Map.Entry<String, BsonValue> eb = ib.next();
                if (!ea.getKey().equals(eb.getKey()) || !sameValue(ea.getValue(), eb.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            List<BsonValue> la = a.asArray().getValues();
            List<BsonValue> lb = b.asArray().getValues();
            if (la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!sameValue(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static void warn(List<String> warnings, String format, Object... args) {
        String message = String.format(format, args);
        warnings.add(message);
        LOG.warn(message);
    }
}
