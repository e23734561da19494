package io.mongoresume.connectors.target;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.annotation.VisibleForTesting;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
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

import io.mongoresume.connectors.common.CollectionPreparer;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Readies one target collection before its source collection's documents are written: applies the {@link
 * ExistingDataPolicy}, creates the collection with the source's options when it is missing, and creates the
 * source's indexes (all but {@code _id_}, with their keys and options as listed by the source).
 *
 * <p>An index the target rejects, or creates while dropping some of its options, is logged as a WARN naming
 * the index and the option rather than failing the job: the data can still be copied, and the operator can
 * add the index afterwards. The options are read back with {@code listIndexes} to detect what was ignored.
 *
 * <p>Collection options copied on creation: {@value #COPIED_OPTIONS_TEXT}. Validators are deliberately not
 * copied: documents that predate a source validator must still land on the target.
 *
 * <p>Serializable (it travels in the job graph); it opens short-lived clients per call, as it runs once per
 * collection.
 */
@PublicEvolving
public final class TargetPreparer implements CollectionPreparer {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(TargetPreparer.class);

    static final String ID_INDEX_NAME = "_id_";
    static final int NAMESPACE_NOT_FOUND = 26;

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

    /** Fields of a listed index spec that describe the server's storage, not the index to create. */
    private static final Set<String> NON_OPTION_FIELDS = Set.of("v", "ns");

    private final MongoConnectionOptions source;
    private final MongoConnectionOptions target;
    @Nullable private final String targetDatabase;
    private final ExistingDataPolicy existingData;
    private final boolean copyIndexes;
    /** Who owns the target namespaces; null claims nothing. */
    @Nullable private final TargetOwnership ownership;

    private TargetPreparer(
            MongoConnectionOptions source,
            MongoConnectionOptions target,
            @Nullable String targetDatabase,
            ExistingDataPolicy existingData,
            boolean copyIndexes,
            @Nullable TargetOwnership ownership) {
        this.source = source;
        this.target = target;
        this.targetDatabase = targetDatabase;
        this.existingData = existingData;
        this.copyIndexes = copyIndexes;
        this.ownership = ownership;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void prepare(String database, String collection) {
        try (MongoClient sourceClient = source.createClient();
                MongoClient targetClient = target.createClient()) {
            prepare(sourceClient, targetClient, database, collection, existingData);
        }
    }

    @Override
    public void prepareKeeping(String database, String collection) {
        try (MongoClient sourceClient = source.createClient();
                MongoClient targetClient = target.createClient()) {
            prepare(sourceClient, targetClient, database, collection, ExistingDataPolicy.KEEP);
        }
    }

    @Override
    public void claim(String migrationId, String database, List<String> collections) {
        if (ownership == null) {
            return;
        }
        ownership.claim(migrationId, targetNamespaces(database, collections));
    }

    /** The target namespaces of source collections of {@code database}. */
    public List<String> targetNamespaces(String database, List<String> collections) {
        List<String> namespaces = new ArrayList<>();
        for (String collection : collections) {
            namespaces.add(targetDatabase(database) + '.' + collection);
        }
        return namespaces;
    }

    @Override
    public void complete(String migrationId, String database, List<String> collections) {
        try (MongoClient targetClient = target.createBoundedClient()) {
            TargetMetadata.recordPrepared(
                    targetClient, targetDatabase(database), migrationId, database, collections);
        }
        LOG.info(
                "Target {} prepared for {} collection(s) ({}, indexes {})",
                targetDatabase(database),
                collections.size(),
                existingData,
                copyIndexes ? "copied" : "not copied");
    }

    @Override
    public boolean isComplete(String migrationId, String database) {
        try (MongoClient targetClient = target.createBoundedClient()) {
            return TargetMetadata.isPrepared(targetClient, targetDatabase(database), migrationId);
        }
    }

    private String targetDatabase(String sourceDatabase) {
        return targetDatabase == null ? sourceDatabase : targetDatabase;
    }

    /** @return the warnings logged (indexes or options the target rejected or ignored) */
    @VisibleForTesting
    List<String> prepare(
            MongoClient sourceClient, MongoClient targetClient, String database, String collection) {
        return prepare(sourceClient, targetClient, database, collection, existingData);
    }

    private List<String> prepare(
            MongoClient sourceClient,
            MongoClient targetClient,
            String database,
            String collection,
            ExistingDataPolicy existingData) {
        String targetDb = targetDatabase(database);
        String targetNs = targetDb + '.' + collection;
        List<String> warnings = new ArrayList<>();

        MongoDatabase srcDb = sourceClient.getDatabase(database);
        @Nullable BsonDocument sourceInfo = collectionInfo(srcDb, collection);
        MongoDatabase dstDb = targetClient.getDatabase(targetDb);
        MongoCollection<BsonDocument> dst = dstDb.getCollection(collection, BsonDocument.class);
        boolean exists = collectionInfo(dstDb, collection) != null;

        if (exists) {
            switch (existingData) {
                case KEEP:
                    LOG.info("Target {} exists; keeping its documents and indexes", targetNs);
                    break;
                case CLEAR:
                    long removed = dst.deleteMany(new BsonDocument()).getDeletedCount();
                    LOG.info("Cleared target {}: removed {} documents, kept indexes", targetNs, removed);
                    break;
                case DROP:
                    dst.drop();
                    exists = false;
                    LOG.info("Dropped target {}", targetNs);
                    break;
                default:
                    throw new IllegalStateException("Unknown policy " + existingData);
            }
        }
        if (!exists && sourceInfo != null) {
            createLike(dstDb, collection, sourceInfo, targetNs, warnings);
        }
        if (copyIndexes && sourceInfo != null) {
            copyIndexes(srcDb.getCollection(collection, BsonDocument.class), dstDb, dst, targetNs, warnings);
        }
        return warnings;
    }

    /**
     * The collection's {@code listCollections} entry, matched here rather than by a server-side name filter:
     * the embedded test server ignores that filter and returns the database's first collection.
     */
    @Nullable
    private static BsonDocument collectionInfo(MongoDatabase db, String collection) {
        for (BsonDocument info : db.listCollections(BsonDocument.class)) {
            if (collection.equals(info.getString("name", new BsonString("")).getValue())) {
                return info;
            }
        }
        return null;
    }

    private static void createLike(
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
            warn(
                    warnings,
                    "Target %s could not be created with the source's options %s (%s); creating it plain",
                    targetNs,
                    command,
                    e.getErrorMessage());
            db.createCollection(collection);
        }
    }

    private static void copyIndexes(
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
            if (e.getErrorCode() == NAMESPACE_NOT_FOUND) {
                return;
            }
            throw e;
        }
        List<BsonDocument> created = new ArrayList<>();
        for (BsonDocument spec : wanted) {
            String name = spec.getString("name").getValue();
            try {
                dstDb.runCommand(
                        new BsonDocument("createIndexes", new BsonString(dst.getNamespace().getCollectionName()))
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
                warn(warnings, "Index '%s' was accepted by %s but is not listed: the target ignored it", name, targetNs);
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

    /** Value equality with numbers compared by value (an index key of 1 may come back as 1.0 or 1L). */
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

    @Override
    public String toString() {
        return "TargetPreparer{source="
                + source
                + ", target="
                + target
                + ", targetDatabase="
                + targetDatabase
                + ", existingData="
                + existingData
                + ", copyIndexes="
                + copyIndexes
                + ", ownership="
                + (ownership != null)
                + '}';
    }

    /** Builder of {@link TargetPreparer}; source and target are required. */
    @PublicEvolving
    public static final class Builder {
        private MongoConnectionOptions source;
        private MongoConnectionOptions target;
        @Nullable private String targetDatabase;
        private ExistingDataPolicy existingData = ExistingDataPolicy.KEEP;
        private boolean copyIndexes = true;
        @Nullable private TargetOwnership ownership;

        private Builder() {}

        /** Where the indexes and collection options are read. */
        public Builder source(MongoConnectionOptions source) {
            this.source = source;
            return this;
        }

        public Builder target(MongoConnectionOptions target) {
            this.target = target;
            return this;
        }

        /** The target database for every collection; null keeps the source database name. */
        public Builder targetDatabase(@Nullable String targetDatabase) {
            this.targetDatabase = targetDatabase;
            return this;
        }

        /** Default {@link ExistingDataPolicy#KEEP}. */
        public Builder existingData(ExistingDataPolicy existingData) {
            this.existingData = existingData;
            return this;
        }

        /** Whether to create the source's indexes on the target; default true. */
        public Builder copyIndexes(boolean copyIndexes) {
            this.copyIndexes = copyIndexes;
            return this;
        }

        /** Claims the target namespaces for the migration before preparing; default none. */
        public Builder ownership(@Nullable TargetOwnership ownership) {
            this.ownership = ownership;
            return this;
        }

        public TargetPreparer build() {
            checkNotNull(source, "source connection");
            checkNotNull(target, "target connection");
            checkNotNull(existingData, "existingData");
            checkArgument(
                    targetDatabase == null || !targetDatabase.isBlank(),
                    "targetDatabase must be null (same as the source) or a database name");
            return new TargetPreparer(
                    source, target, targetDatabase, existingData, copyIndexes, ownership);
        }
    }
}
