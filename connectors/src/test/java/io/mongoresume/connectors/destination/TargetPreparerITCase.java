package io.mongoresume.connectors.destination;

import org.apache.flink.util.InstantiationUtil;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.testutils.MongoTestServer;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link TargetPreparer} between two test servers: existing-data policies and index copying. */
class TargetPreparerITCase {

    private static MongoTestServer sourceServer;
    private static MongoTestServer targetServer;
    private static MongoClient source;
    private static MongoClient target;

    private String db;

    @BeforeAll
    static void start() {
        sourceServer = MongoTestServer.source();
        targetServer = MongoTestServer.target();
        source = MongoConnectionOptions.of(sourceServer.uri(), 5_000).createClient();
        target = MongoConnectionOptions.of(targetServer.uri(), 5_000).createClient();
    }

    @AfterAll
    static void stop() {
        source.close();
        target.close();
        sourceServer.close();
        targetServer.close();
    }

    @BeforeEach
    void fresh() {
        db = MongoTestServer.freshDatabaseName("prep");
        MongoCollection<Document> src = source.getDatabase(db).getCollection("c");
        src.insertOne(
                new Document("_id", 1).append("email", "a@x").append("at", new java.util.Date()));
        src.createIndex(
                Indexes.ascending("email"), new IndexOptions().unique(true).name("email_u"));
        src.createIndex(Indexes.descending("nick"), new IndexOptions().sparse(true).name("nick_s"));
        src.createIndex(
                Indexes.ascending("at"),
                new IndexOptions().expireAfter(3600L, TimeUnit.SECONDS).name("at_ttl"));
        src.createIndex(
                Indexes.compoundIndex(Indexes.ascending("a"), Indexes.descending("b")),
                new IndexOptions().name("a_b"));
    }

    private TargetPreparer.Builder preparer() {
        return TargetPreparer.builder()
                .source(MongoConnectionOptions.of(sourceServer.uri(), 5_000))
                .target(MongoConnectionOptions.of(targetServer.uri(), 5_000));
    }

    private void seedTarget(String database) {
        MongoCollection<Document> dst = target.getDatabase(database).getCollection("c");
        dst.insertOne(new Document("_id", 99).append("old", true));
        dst.createIndex(Indexes.ascending("old"), new IndexOptions().name("old_1"));
    }

    private Map<String, BsonDocument> targetIndexes(String database) {
        Map<String, BsonDocument> out = new LinkedHashMap<>();
        for (BsonDocument spec :
                target.getDatabase(database).getCollection("c").listIndexes(BsonDocument.class)) {
            out.put(spec.getString("name").getValue(), spec);
        }
        return out;
    }

    private long targetCount(String database) {
        return target.getDatabase(database).getCollection("c").countDocuments();
    }

    @Test
    void keepLeavesDocumentsAndIndexesAndAddsTheSourceIndexes() {
        seedTarget(db);
        List<String> warnings =
                preparer()
                        .existingData(ExistingDataPolicy.KEEP)
                        .build()
                        .prepare(source, target, db, "c");
        assertThat(targetCount(db)).isEqualTo(1);
        assertThat(targetIndexes(db)).containsKeys("_id_", "old_1", "email_u", "nick_s", "at_ttl");
        assertThat(warnings).isEmpty();
    }

    @Test
    void clearRemovesDocumentsButKeepsIndexes() {
        seedTarget(db);
        preparer().existingData(ExistingDataPolicy.CLEAR).build().prepare(source, target, db, "c");
        assertThat(targetCount(db)).isZero();
        assertThat(targetIndexes(db)).containsKeys("_id_", "old_1", "email_u");
    }

    @Test
    void dropRecreatesWithTheSourceIndexesOnly() {
        seedTarget(db);
        preparer().existingData(ExistingDataPolicy.DROP).build().prepare(source, target, db, "c");
        assertThat(targetCount(db)).isZero();
        assertThat(targetIndexes(db)).doesNotContainKey("old_1").containsKeys("_id_", "email_u");
        assertThat(target.getDatabase(db).listCollectionNames().into(new ArrayList<>()))
                .contains("c");
    }

    @Test
    void copiesIndexOptions() {
        List<String> warnings = preparer().build().prepare(source, target, db, "c");
        Map<String, BsonDocument> indexes = targetIndexes(db);
        // mongo-java-server lists every index with its options, but only builds unique ones:
        // sparse, TTL
        // and compound indexes are listed and ignored (TTL never expires there). Nothing to warn
        // about from
        // the listing, which matches the source.
        assertThat(warnings).isEmpty();

        assertThat(indexes.get("email_u").getBoolean("unique").getValue()).isTrue();
        assertThat(indexes.get("email_u").getDocument("key"))
                .isEqualTo(BsonDocument.parse("{email: 1}"));
        assertThat(indexes.get("nick_s").getBoolean("sparse").getValue()).isTrue();
        assertThat(indexes.get("at_ttl").getNumber("expireAfterSeconds").longValue())
                .isEqualTo(3600L);
        assertThat(indexes).containsKey("a_b");
        assertThat(
                        TargetPreparer.sameValue(
                                indexes.get("a_b").getDocument("key"),
                                BsonDocument.parse("{a: 1, b: -1}")))
                .isTrue();
        // The copy enforces the option: a duplicate email is rejected on the target.
        MongoCollection<Document> dst = target.getDatabase(db).getCollection("c");
        dst.insertOne(new Document("_id", 1).append("email", "dup"));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> dst.insertOne(new Document("_id", 2).append("email", "dup")))
                .hasMessageContaining("E11000");
    }

    @Test
    void rejectedOrIgnoredIndexOptionsAreWarnedNotFatal() {
        MongoCollection<Document> src = source.getDatabase(db).getCollection("c");
        src.createIndex(
                Indexes.ascending("score"),
                new IndexOptions()
                        .name("score_partial")
                        .unique(true)
                        .partialFilterExpression(BsonDocument.parse("{score: {$gt: 5}}")));
        src.createIndex(
                Indexes.ascending("title"),
                new IndexOptions()
                        .name("title_ci")
                        .collation(
                                com.mongodb.client.model.Collation.builder()
                                        .locale("en")
                                        .collationStrength(
                                                com.mongodb.client.model.CollationStrength
                                                        .SECONDARY)
                                        .build()));
        // Duplicate emails on the target (KEEP): the unique index cannot be built there.
        MongoCollection<Document> dst = target.getDatabase(db).getCollection("c");
        dst.insertOne(new Document("_id", 10).append("email", "same"));
        dst.insertOne(new Document("_id", 11).append("email", "same"));

        // mongo-java-server builds a unique partial index over all documents (it ignores the
        // filter), so
        // score_partial is rejected there too, and is warned about by name.
        List<String> warnings = preparer().build().prepare(source, target, db, "c");

        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("'email_u'", "not created"));
        Map<String, BsonDocument> indexes = targetIndexes(db);
        for (String name : List.of("score_partial", "title_ci")) {
            BsonDocument listed = indexes.get(name);
            String option = name.equals("score_partial") ? "partialFilterExpression" : "collation";
            if (listed == null || !listed.containsKey(option)) {
                assertThat(warnings).anySatisfy(w -> assertThat(w).contains("'" + name + "'"));
            }
        }
        // The other indexes were still created.
        assertThat(indexes).containsKeys("nick_s", "at_ttl", "a_b");
    }

    @Test
    void aMissingCollectionIsCreatedAlsoWhenItsTargetDatabaseHoldsOthers() {
        // The embedded server ignores a listCollections name filter: relying on it, every
        // collection of a
        // database that holds any (here the job's own bookkeeping) looked as if it existed already.
        target.getDatabase(db)
                .getCollection(TargetMetadata.COLLECTION)
                .insertOne(new Document("_id", "x"));
        source.getDatabase(db).createCollection("empty");
        preparer().build().prepare(source, target, db, "empty");
        assertThat(target.getDatabase(db).listCollectionNames().into(new java.util.ArrayList<>()))
                .contains("empty");
    }

    @Test
    void noIndexesWhenCopyIsOff() {
        preparer().copyIndexes(false).build().prepare(source, target, db, "c");
        assertThat(targetIndexes(db).keySet()).containsOnly("_id_");
    }

    @Test
    void targetDatabaseOverrideAndSerializable() throws Exception {
        String other = db + "_t";
        TargetPreparer preparer = preparer().targetDatabase(other).build();
        TargetPreparer copy =
                InstantiationUtil.clone(preparer); // Java serialization, as Flink ships it
        copy.prepare(db, "c"); // the public path: its own clients
        assertThat(targetIndexes(other)).containsKey("email_u");
        assertThat(target.getDatabase(db).listCollectionNames().into(new ArrayList<>()))
                .doesNotContain("c");
    }

    @Test
    void sourceDatabasesWhoseBookkeepingSharesATargetDatabaseAreEachRecorded() {
        String into = MongoTestServer.freshDatabaseName("into");
        TargetPreparer preparer = preparer().targetDatabase(into).build();
        assertThat(preparer.isComplete("m-1", "shop")).isFalse();
        preparer.complete("m-1", "shop", List.of("orders"));
        preparer.complete("m-1", "crm", List.of("users", "leads"));
        assertThat(preparer.isComplete("m-1", "shop")).isTrue();
        assertThat(preparer.isComplete("m-1", "crm")).isTrue();
        assertThat(preparer.isComplete("m-2", "crm")).as("another migration").isFalse();
        BsonDocument record =
                target.getDatabase(into)
                        .getCollection(TargetMetadata.COLLECTION, BsonDocument.class)
                        .find()
                        .first();
        assertThat(record.getDocument("sourceDatabases").keySet())
                .containsExactlyInAnyOrder("shop", "crm");
        assertThat(record.getDocument("sourceDatabases").getArray("crm"))
                .extracting(v -> v.asString().getValue())
                .containsExactly("users", "leads");
        assertThat(record.getString("sourceDatabase").getValue()).isEqualTo("crm");
    }

    @Test
    void missingSourceCollectionIsHarmless() {
        List<String> warnings =
                preparer()
                        .existingData(ExistingDataPolicy.DROP)
                        .build()
                        .prepare(source, target, db, "absent");
        assertThat(warnings).isEmpty();
    }
}
