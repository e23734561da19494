package io.mongoresume.connectors.destination;

import org.apache.flink.annotation.PublicEvolving;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.UpdateOptions;
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
     * Records that one start of a migration ({@code migrationId}) prepared the target collections
     * of source database {@code sourceDatabase}. Source databases whose bookkeeping shares a target
     * database share the record: {@code sourceDatabases} names each one's collections, {@code
     * sourceDatabase} and {@code collections} the one recorded last (the form of the releases that
     * read one database).
     */
    static void recordPrepared(
            MongoClient target,
            String targetDatabase,
            String migrationId,
            String sourceDatabase,
            List<String> collections) {
        BsonArray names = new BsonArray();
        collections.forEach(c -> names.add(new BsonString(c)));
        BsonString id = new BsonString(preparedId(migrationId));
        BsonDocument fields =
                new BsonDocument("migration", new BsonString(migrationId))
                        .append("sourceDatabase", new BsonString(sourceDatabase))
                        .append("collections", names)
                        // a database name holds no dot, so it is one field name
                        .append("sourceDatabases." + sourceDatabase, names)
                        .append("preparedAt", new BsonDateTime(System.currentTimeMillis()));
        collection(target, targetDatabase)
                .withWriteConcern(WriteConcern.MAJORITY)
                .updateOne(
                        new BsonDocument("_id", id),
                        new BsonDocument("$set", fields),
                        new UpdateOptions().upsert(true));
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
