package io.mongoresume.connectors.destination;

import org.apache.flink.annotation.PublicEvolving;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.ReplaceOptions;
import org.bson.BsonArray;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;

import java.util.List;

/**
 * The job's own bookkeeping at the target: collection {@value #COLLECTION} of each target database.
 * It is never a source collection, never copied and never compared by {@code verify} (every
 * collection whose name starts with {@value #PREFIX} is the job's own).
 */
@PublicEvolving
public final class TargetMetadata {

    /** Names of collections the job keeps for itself start with this. */
    public static final String PREFIX = "__mongo_resume";

    /** The collection of the job's bookkeeping documents in a target database. */
    public static final String COLLECTION = PREFIX;

    private TargetMetadata() {}

    /**
     * Whether a collection is one of the job's own (bookkeeping, probes), never data to migrate.
     */
    public static boolean isOwnCollection(String name) {
        return name.startsWith(PREFIX);
    }

    /**
     * Records that one start of a migration ({@code migrationId}) prepared the target collections.
     */
    static void recordPrepared(
            MongoClient target,
            String targetDatabase,
            String migrationId,
            String sourceDatabase,
            List<String> collections) {
        BsonArray names = new BsonArray();
        collections.forEach(c -> names.add(new BsonString(c)));
        BsonDocument record =
                new BsonDocument("_id", new BsonString(preparedId(migrationId)))
                        .append("migration", new BsonString(migrationId))
                        .append("sourceDatabase", new BsonString(sourceDatabase))
                        .append("collections", names)
                        .append("preparedAt", new BsonDateTime(System.currentTimeMillis()));
        collection(target, targetDatabase)
                .withWriteConcern(WriteConcern.MAJORITY)
                .replaceOne(
                        new BsonDocument("_id", record.get("_id")),
                        record,
                        new ReplaceOptions().upsert(true));
    }

    static boolean isPrepared(MongoClient target, String targetDatabase, String migrationId) {
        return collection(target, targetDatabase)
                        .find(new BsonDocument("_id", new BsonString(preparedId(migrationId))))
                        .first()
                != null;
    }

    private static MongoCollection<BsonDocument> collection(MongoClient client, String database) {
        return client.getDatabase(database).getCollection(COLLECTION, BsonDocument.class);
    }

    private static String preparedId(String migrationId) {
        return "prepared:" + migrationId;
    }
}
