package io.mongoresume.connectors.destination;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.annotation.VisibleForTesting;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.mongoresume.connectors.common.CollectionPreparer;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.NamespaceMap;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Readies one target collection before its source collection's documents are written: applies the
 * {@link ExistingDataPolicy}, creates the collection with the source's options when it is missing,
 * and creates the source's indexes (all but {@code _id_}, with their keys and options as listed by
 * the source).
 *
 * <p>An index the target rejects, or creates while dropping some of its options, is logged as a
 * WARN naming the index and the option rather than failing the job: the data can still be copied,
 * and the operator can add the index afterwards. The options are read back with {@code listIndexes}
 * to detect what was ignored.
 *
 * <p>Collection options copied on creation: {@value TargetCollectionShape#COPIED_OPTIONS_TEXT}.
 * Validators are deliberately not copied: documents that predate a source validator must still land
 * on the target.
 *
 * <p>Serializable (it travels in the job graph); it opens short-lived clients per call, as it runs
 * once per collection.
 */
@PublicEvolving
public final class TargetPreparer implements CollectionPreparer {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(TargetPreparer.class);

    private final MongoConnectionOptions source;
    private final MongoConnectionOptions target;
    private final NamespaceMap namespaceMap;
    private final ExistingDataPolicy existingData;
    private final boolean copyIndexes;

    /** Who owns the target namespaces; null claims nothing. */
    @Nullable private final TargetOwnership ownership;

    private TargetPreparer(
            MongoConnectionOptions source,
            MongoConnectionOptions target,
            NamespaceMap namespaceMap,
            ExistingDataPolicy existingData,
            boolean copyIndexes,
            @Nullable TargetOwnership ownership) {
        this.source = source;
        this.target = target;
        this.namespaceMap = namespaceMap;
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
            namespaces.add(namespaceMap.target(database, collection).getFullName());
        }
        return namespaces;
    }

    @Override
    public void complete(String migrationId, String database, List<String> collections) {
        try (MongoClient targetClient = target.createBoundedClient()) {
            TargetMetadata.recordPrepared(
                    targetClient, homeDatabase(database), migrationId, database, collections);
        }
        LOG.info(
                "Target prepared for {} collection(s) of {} ({}, indexes {}), recorded in {}",
                collections.size(),
                database,
                existingData,
                copyIndexes ? "copied" : "not copied",
                homeDatabase(database));
    }

    @Override
    public boolean isComplete(String migrationId, String database) {
        try (MongoClient targetClient = target.createBoundedClient()) {
            return TargetMetadata.isPrepared(targetClient, homeDatabase(database), migrationId);
        }
    }

    /** The target database that records the preparation of source database {@code database}. */
    private String homeDatabase(String database) {
        return namespaceMap.homeDatabase(database, TargetMetadata.COLLECTION);
    }

    /**
     * @return the warnings logged (indexes or options the target rejected or ignored)
     */
    @VisibleForTesting
    List<String> prepare(
            MongoClient sourceClient,
            MongoClient targetClient,
            String database,
            String collection) {
        return prepare(sourceClient, targetClient, database, collection, existingData);
    }

    private List<String> prepare(
            MongoClient sourceClient,
            MongoClient targetClient,
            String database,
            String collection,
            ExistingDataPolicy existingData) {
        MongoNamespace target = namespaceMap.target(database, collection);
        String targetNs = target.getFullName();
        String targetName = target.getCollectionName();
        List<String> warnings = new ArrayList<>();

        MongoDatabase srcDb = sourceClient.getDatabase(database);
        @Nullable BsonDocument sourceInfo = TargetCollectionShape.collectionInfo(srcDb, collection);
        MongoDatabase dstDb = targetClient.getDatabase(target.getDatabaseName());
        MongoCollection<BsonDocument> dst = dstDb.getCollection(targetName, BsonDocument.class);
        boolean exists = TargetCollectionShape.collectionInfo(dstDb, targetName) != null;

        if (exists) {
            switch (existingData) {
                case KEEP:
                    LOG.info("Target {} exists; keeping its documents and indexes", targetNs);
                    break;
                case CLEAR:
                    long removed = dst.deleteMany(new BsonDocument()).getDeletedCount();
                    LOG.info(
                            "Cleared target {}: removed {} documents, kept indexes",
                            targetNs,
                            removed);
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
            TargetCollectionShape.createLike(dstDb, targetName, sourceInfo, targetNs, warnings);
        }
        if (copyIndexes && sourceInfo != null) {
            TargetCollectionShape.copyIndexes(
                    srcDb.getCollection(collection, BsonDocument.class),
                    dstDb,
                    dst,
                    targetNs,
                    warnings);
        }
        return warnings;
    }

    @VisibleForTesting
    static boolean sameValue(@Nullable BsonValue a, @Nullable BsonValue b) {
        return TargetCollectionShape.sameValue(a, b);
    }

    @Override
    public String toString() {
        return "TargetPreparer{source="
                + source
                + ", target="
                + target
                + ", namespaceMap="
                + namespaceMap
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
        private NamespaceMap namespaceMap = NamespaceMap.identity();
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
            return namespaceMap(NamespaceMap.intoDatabase(targetDatabase));
        }

        /** Where each source namespace goes; default the same name. */
        public Builder namespaceMap(NamespaceMap namespaceMap) {
            this.namespaceMap = checkNotNull(namespaceMap);
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
            return new TargetPreparer(
                    source, target, namespaceMap, existingData, copyIndexes, ownership);
        }
    }
}
