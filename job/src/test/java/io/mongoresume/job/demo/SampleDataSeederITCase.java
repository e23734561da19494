package io.mongoresume.job.demo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.mongoresume.connectors.testutils.MongoServerExtension;
import io.mongoresume.connectors.testutils.MongoTestServer;
import org.bson.BsonDocument;
import org.bson.BsonType;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Seeding a real (embedded by default) server: counts, contents, id types, indexes, progress. */
class SampleDataSeederITCase {

    @RegisterExtension
    static final MongoServerExtension SERVER = new MongoServerExtension(MongoTestServer::source);

    @Test
    void seedsPlannedCollectionsWithIndexesAndProgress() {
        SeedPlan plan = SeedPlan.defaults().scale(0.05);
        MongoDatabase db = SERVER.client().getDatabase(MongoTestServer.freshDatabaseName("seed"));
        List<String> progress = new ArrayList<>();

        SeedReport report = SampleDataSeeder.seed(db, plan, progress::add);

        assertThat(report.counts())
                .containsExactly(
                        java.util.Map.entry(SampleDataSeeder.CUSTOMERS, 1000L),
                        java.util.Map.entry(SampleDataSeeder.ORDERS, 10_000L),
                        java.util.Map.entry(SampleDataSeeder.EVENTS, 1000L),
                        java.util.Map.entry(SampleDataSeeder.EMPTY_COLLECTION, 0L),
                        java.util.Map.entry(SampleDataSeeder.SINGLETON, 1L));
        for (String name : plan.counts().keySet()) {
            assertThat(db.getCollection(name).countDocuments())
                    .as(name)
                    .isEqualTo(report.count(name));
        }
        assertThat(db.listCollectionNames().into(new ArrayList<>()))
                .contains(SampleDataSeeder.EMPTY_COLLECTION);
        // About every 10% (batches of 1000 make it coarser) plus the first and last line.
        assertThat(progress.size()).isBetween(8, 13);
        assertThat(progress.get(progress.size() - 1)).startsWith("Seeding done");

        assertThat(indexNames(db, SampleDataSeeder.CUSTOMERS))
                .contains("email_unique", "loyaltyId_sparse");
        assertThat(indexNames(db, SampleDataSeeder.ORDERS)).contains("customerId_createdAt");
        Document emailIndex = index(db, SampleDataSeeder.CUSTOMERS, "email_unique");
        assertThat(emailIndex.getBoolean("unique")).isTrue();
        assertThat(index(db, SampleDataSeeder.CUSTOMERS, "loyaltyId_sparse").getBoolean("sparse"))
                .isTrue();

        // What is stored is exactly what the offline generator produces.
        assertSameAsGenerated(db, SampleDataSeeder.CUSTOMERS, plan);
        assertSameAsGenerated(db, SampleDataSeeder.ORDERS, plan);
        assertSameAsGenerated(db, SampleDataSeeder.EVENTS, plan);

        Set<BsonType> idTypes = EnumSet.noneOf(BsonType.class);
        db.getCollection(SampleDataSeeder.EVENTS, BsonDocument.class)
                .find()
                .forEach(doc -> idTypes.add(doc.get("_id").getBsonType()));
        assertThat(idTypes)
                .containsExactlyInAnyOrder(
                        BsonType.OBJECT_ID,
                        BsonType.INT32,
                        BsonType.INT64,
                        BsonType.DOUBLE,
                        BsonType.STRING,
                        BsonType.BINARY,
                        BsonType.DOCUMENT,
                        BsonType.DATE_TIME);
    }

    @Test
    void refusesToSeedOverExistingDocuments() {
        MongoDatabase db = SERVER.client().getDatabase(MongoTestServer.freshDatabaseName("seed"));
        db.getCollection(SampleDataSeeder.SINGLETON).insertOne(new Document("_id", "someone-else"));
        assertThatThrownBy(() -> SampleDataSeeder.seed(db, SeedPlan.defaults().scale(0.001)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already has documents");
    }

    /** Measures the default 200k orders; opt in with -Dseed.full=true (needs ~1.5 GB heap). */
    @Test
    @EnabledIfSystemProperty(named = "seed.full", matches = "true")
    void seedsTwoHundredThousandOrders() {
        MongoDatabase db =
                SERVER.client().getDatabase(MongoTestServer.freshDatabaseName("seedfull"));
        SeedPlan plan = SeedPlan.defaults().withCustomers(0).withEvents(0);
        SeedReport report = SampleDataSeeder.seed(db, plan, System.out::println);
        System.out.println("MEASURED 200k orders: " + report);
        assertThat(db.getCollection(SampleDataSeeder.ORDERS).countDocuments()).isEqualTo(200_000);
    }

    private static void assertSameAsGenerated(MongoDatabase db, String name, SeedPlan plan) {
        MongoCollection<BsonDocument> collection = db.getCollection(name, BsonDocument.class);
        List<BsonDocument> stored = new ArrayList<>();
        collection.find().forEach(stored::add);
        List<BsonDocument> expected = new ArrayList<>();
        Iterator<Document> generated = SampleDataSeeder.documents(name, plan);
        generated.forEachRemaining(doc -> expected.add(doc.toBsonDocument()));
        assertThat(stored).as(name).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static List<String> indexNames(MongoDatabase db, String collection) {
        List<String> names = new ArrayList<>();
        db.getCollection(collection)
                .listIndexes()
                .forEach(index -> names.add(index.getString("name")));
        return names;
    }

    private static Document index(MongoDatabase db, String collection, String name) {
        for (Document index : db.getCollection(collection).listIndexes()) {
            if (name.equals(index.getString("name"))) {
                return index;
            }
        }
        throw new AssertionError("no index " + name + " on " + collection);
    }
}
