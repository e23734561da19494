package io.mongoresume.job.topology;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.mongoresume.connectors.snapshot.enumerator.partition.PartitionStrategy;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.testutils.CollectionDiff;
import io.mongoresume.job.testutils.Migration;
import io.mongoresume.job.testutils.MigrationCluster;
import io.mongoresume.job.testutils.TestJobs;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.UuidRepresentation;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Full sync end to end on a MiniCluster against real MongoDB-protocol servers: every document
 * arrives bit-exact with both partition strategies, for mixed _id types, empty and single-document
 * collections and a document near the 16 MB limit; existing-data policies and index copying behave
 * as named.
 */
class FullSyncITCase {

    @RegisterExtension static final MigrationCluster CLUSTER = MigrationCluster.of(1, 4);

    private static final List<String> COLLECTIONS =
            Arrays.asList("mixed_ids", "numbers", "empty", "singleton", "huge_doc");

    private static String sourceDb;

    @BeforeAll
    static void seed() {
        sourceDb = MongoTestServer.freshDatabaseName("fullsync");
        MongoDatabase db = CLUSTER.servers().sourceClient().getDatabase(sourceDb);
        db.getCollection("mixed_ids", BsonDocument.class).insertMany(mixedIdDocuments(1200));
        List<Document> numbers = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            numbers.add(new Document("_id", i).append("value", "n" + i).append("sq", (long) i * i));
        }
        db.getCollection("numbers").insertMany(numbers);
        db.getCollection("numbers")
                .createIndex(Indexes.ascending("value"), new IndexOptions().unique(true));
        db.createCollection("empty");
        db.getCollection("singleton").insertOne(new Document("_id", "only").append("x", 1));
        char[] big = new char[15 * 1024 * 1024 + 512 * 1024];
        Arrays.fill(big, 'x');
        db.getCollection("huge_doc")
                .insertOne(new Document("_id", 1).append("payload", new String(big)));
        db.getCollection("huge_doc").insertOne(new Document("_id", 2).append("payload", "small"));
    }

    @ParameterizedTest
    @EnumSource(PartitionStrategy.class)
    void copiesEveryDocumentBitExact(
            PartitionStrategy strategy, @InjectClusterClient ClusterClient<?> client)
            throws Exception {
        String targetDb =
                MongoTestServer.freshDatabaseName("copy_" + strategy.name().toLowerCase());
        Migration migration = CLUSTER.migration(sourceDb, targetDb);
        MigrationConfig config =
                migration
                        .options()
                        .set("snapshot.partition.strategy", strategy.toString())
                        .set("snapshot.partition.size", "700")
                        .set("snapshot.partition.count", "6")
                        .set("snapshot.batch-read-limit", "500")
                        .set("snapshot.readers", "3")
                        .config();

        JobID job = TestJobs.submit(client, config, null);
        TestJobs.awaitTermination(client, job, Duration.ofMinutes(3));

        for (String collection : COLLECTIONS) {
            CollectionDiff diff = migration.diff(collection);
            assertThat(diff.isEqual()).as(diff.toString()).isTrue();
        }
        assertThat(migration.target().listCollectionNames().into(new ArrayList<>()))
                .as("empty collections are created too")
                .contains("empty");
        long documents = 1201 + 5000 + 1 + 2;
        assertThat(CLUSTER.sum(job, "documentsEmitted")).isEqualTo(documents);
        assertThat(CLUSTER.sum(job, "documentsWritten")).isEqualTo(documents);
        Map<String, Long> splitsTotal = CLUSTER.byIdentifier(job, "splitsTotal");
        Map<String, Long> splitsFinished = CLUSTER.byIdentifier(job, "splitsFinished");
        assertThat(splitsTotal.keySet()).anyMatch(id -> id.contains(sourceDb + ".numbers"));
        Map<String, Long> finishedByGroup = new java.util.TreeMap<>();
        splitsFinished.forEach(
                (id, v) -> finishedByGroup.put(id.replace(".splitsFinished", ""), v));
        Map<String, Long> totalByGroup = new java.util.TreeMap<>();
        splitsTotal.forEach((id, v) -> totalByGroup.put(id.replace(".splitsTotal", ""), v));
        assertThat(finishedByGroup)
                .as("every split finished, per collection")
                .isEqualTo(totalByGroup);
        assertThat(CLUSTER.byIdentifier(job, "documentsRead").keySet())
                .anyMatch(id -> id.contains(sourceDb + ".mixed_ids"));

        if (strategy == PartitionStrategy.COUNT) {
            List<String> indexNames = new ArrayList<>();
            migration
                    .target()
                    .getCollection("numbers")
                    .listIndexes()
                    .forEach(ix -> indexNames.add(ix.getString("name")));
            assertThat(indexNames).as("source indexes exist on the target").contains("value_1");
        }
    }

    @Test
    void existingDataKeepClearAndDrop(@InjectClusterClient ClusterClient<?> client)
            throws Exception {
        for (String policy : Arrays.asList("keep", "clear", "drop")) {
            Migration migration =
                    CLUSTER.migration(
                            sourceDb, MongoTestServer.freshDatabaseName("existing_" + policy));
            MongoCollection<Document> existing = migration.target().getCollection("singleton");
            existing.insertOne(new Document("_id", "stale").append("old", true));
            existing.createIndex(Indexes.ascending("old"));
            MigrationConfig config =
                    migration
                            .options()
                            .collections("singleton")
                            .set("target.existing-data", policy)
                            .config();
            JobID job = TestJobs.submit(client, config, null);
            TestJobs.awaitTermination(client, job, Duration.ofMinutes(2));

            List<Object> ids = new ArrayList<>();
            existing.find().forEach(d -> ids.add(d.get("_id")));
            List<String> indexes = new ArrayList<>();
            existing.listIndexes().forEach(ix -> indexes.add(ix.getString("name")));
            switch (policy) {
                case "keep":
                    assertThat(ids).containsExactlyInAnyOrder("stale", "only");
                    assertThat(indexes).contains("old_1");
                    break;
                case "clear":
                    assertThat(ids).containsExactly("only");
                    assertThat(indexes).as("clear keeps the target's indexes").contains("old_1");
                    break;
                default:
                    assertThat(ids).containsExactly("only");
                    assertThat(indexes)
                            .as("drop recreates with the source's indexes")
                            .doesNotContain("old_1");
            }
        }
    }

    /** Every _id type MongoDB allows, several values each, in one collection. */
    static List<BsonDocument> mixedIdDocuments(int count) {
        Random random = new Random(42);
        List<BsonDocument> docs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            BsonValue id;
            switch (i % 8) {
                case 0:
                    id =
                            new BsonObjectId(
                                    new org.bson.types.ObjectId(
                                            new java.util.Date(1_600_000_000_000L + i * 1000L), i));
                    break;
                case 1:
                    id = new BsonInt32(i);
                    break;
                case 2:
                    id = new BsonInt64(10_000_000_000L + i);
                    break;
                case 3:
                    id = new BsonDouble(i + 0.5);
                    break;
                case 4:
                    id = new BsonString("key-" + i + (i % 3 == 0 ? "-日本語" : ""));
                    break;
                case 5:
                    id =
                            new BsonBinary(
                                    new UUID(random.nextLong(), random.nextLong()),
                                    UuidRepresentation.STANDARD);
                    break;
                case 6:
                    id =
                            new BsonDocument("tenant", new BsonInt32(i % 5))
                                    .append("seq", new BsonInt32(i));
                    break;
                default:
                    id = new BsonDateTime(1_700_000_000_000L + i);
            }
            docs.add(
                    new BsonDocument("_id", id)
                            .append("i", new BsonInt32(i))
                            .append(
                                    "price",
                                    new BsonDecimal128(new Decimal128(new BigDecimal(i + ".25"))))
                            .append("name", new BsonString("ünïcödé ✓ " + i)));
        }
        docs.add(
                new BsonDocument(
                        "_id", new BsonDecimal128(new Decimal128(new BigDecimal("123456.789")))));
        return docs;
    }
}
