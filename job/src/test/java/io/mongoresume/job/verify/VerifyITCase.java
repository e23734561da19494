package io.mongoresume.job.verify;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.job.demo.SampleDataSeeder;
import io.mongoresume.job.demo.SeedPlan;
import io.mongoresume.job.demo.SeedReport;
import io.mongoresume.job.testutils.CommandRun;
import io.mongoresume.job.testutils.ServerPair;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code verify} against MongoDB-protocol servers: an exact copy, planted differences, a live
 * re-check.
 */
class VerifyITCase {

    private static final int ORDERS = 2400;

    @RegisterExtension static final ServerPair SERVERS = new ServerPair();
    private static String sourceDb;

    @TempDir Path dir;

    @BeforeAll
    static void seed() {
        sourceDb = MongoTestServer.freshDatabaseName("verify");
        List<Document> orders = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            Object id = i % 3 == 0 ? (Object) i : i % 3 == 1 ? "s-" + i : new ObjectId();
            orders.add(
                    new Document("_id", id)
                            .append("n", i)
                            .append("nested", new Document("a", "x" + i)));
        }
        onSource(sourceDb).getCollection("orders").insertMany(orders);
        List<Document> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            events.add(new Document("_id", (long) i).append("v", i * 0.5));
        }
        onSource(sourceDb).getCollection("events").insertMany(events);
    }

    @Test
    void exactCopyHasNoDifferences() throws IOException {
        String targetDb = copy();
        CommandRun run = verify(targetDb);
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("OK orders: source " + ORDERS + ", target " + ORDERS + " documents")
                .contains("OK events: source 300, target 300 documents")
                .contains("EQUAL:");
        assertThat(run.err()).contains("verify orders: ranges ");
        System.out.println(run.out() + run.err());
    }

    @Test
    void plantedDifferencesAreNamedExactly() throws IOException {
        String targetDb = copy();
        var orders = onTarget(targetDb).getCollection("orders");
        orders.updateOne(Filters.eq("_id", "s-16"), Updates.set("n", -1));
        orders.deleteOne(Filters.eq("_id", 42));
        orders.insertOne(new Document("_id", "zz-extra").append("n", 0));

        CommandRun run = verify(targetDb);
        assertThat(run.exit()).isEqualTo(VerifyCommand.EXIT_DIFFERENT);
        assertThat(run.out())
                .contains("DIFF orders: source " + ORDERS + ", target " + ORDERS + " documents")
                .contains("1 missing, 1 extra, 1 different")
                .contains("  missing on target (1): 42")
                .contains("  extra on target (1): \"zz-extra\"")
                .contains("  different (1): \"s-16\"")
                .contains("OK events")
                .contains("DIFFERENT:");
        System.out.println(run.out());

        CommandRun json = verify(targetDb, "--json");
        JsonNode root = new ObjectMapper().readTree(json.out());
        assertThat(root.get("ok").asBoolean()).isFalse();
        assertThat(root.get("differences").asLong()).isEqualTo(3);
        JsonNode ordersReport = root.get("collections").get(1);
        assertThat(ordersReport.get("collection").asText()).isEqualTo("orders");
        assertThat(ordersReport.get("missing").get("ids").get(0).asText()).isEqualTo("42");
        assertThat(ordersReport.get("extra").get("ids").get(0).asText()).isEqualTo("\"zz-extra\"");
        assertThat(ordersReport.get("different").get("ids").get(0).asText()).isEqualTo("\"s-16\"");
    }

    @Test
    void reportIsCappedButTotalsAreExact() throws IOException {
        String targetDb = copy();
        onTarget(targetDb).getCollection("events").deleteMany(Filters.lt("_id", 50L));
        CommandRun run = verify(targetDb, "--max-report", "5");
        assertThat(run.exit()).isEqualTo(VerifyCommand.EXIT_DIFFERENT);
        assertThat(run.out()).contains("  missing on target (50, first 5): 0, 1, 10, 11, 12");
    }

    @Test
    void liveRecheckPassesWhenTheDifferenceDisappears() throws Exception {
        String targetDb = copy();
        var orders = onTarget(targetDb).getCollection("orders");
        Document lagging = orders.find(Filters.eq("_id", 300)).first();
        orders.deleteOne(Filters.eq("_id", 300));

        CountDownLatch rechecking = new CountDownLatch(1);
        Writer err =
                new StringWriter() {
                    @Override
                    public void write(String s, int off, int len) {
                        super.write(s, off, len);
                        if (toString().contains("re-checking 1 differing range(s)")) {
                            rechecking.countDown();
                        }
                    }
                };
        CompletableFuture<CommandRun> run =
                CompletableFuture.supplyAsync(
                        () -> verify(targetDb, err, "--live", "--recheck-delay-ms", "1500"));
        assertThat(rechecking.await(60, TimeUnit.SECONDS)).isTrue();
        orders.insertOne(lagging); // CDC catches up within the delay
        CommandRun result = run.get(60, TimeUnit.SECONDS);
        assertThat(result.exit()).as(result.out() + err).isZero();
        assertThat(result.out()).contains("(1 converged on re-check)");
    }

    @Test
    void seededDemoDataIsEqualAndPlantedDifferencesAreNamed() throws Exception {
        // 75k orders of ~690 bytes: more in one _id type than one reply may carry (48 MB), which
        // verify
        // used to ask for at once.
        SeedPlan plan = SeedPlan.of(SeedPlan.DEFAULT_SEED, 200, 75_000, 400);
        String demoSource = MongoTestServer.freshDatabaseName("demo");
        String demoTarget = MongoTestServer.freshDatabaseName("demo_t");
        try {
            // The same plan writes byte-identical documents: the target as a demo run leaves it.
            CompletableFuture<SeedReport> seededTarget =
                    CompletableFuture.supplyAsync(
                            () -> SampleDataSeeder.seed(onTarget(demoTarget), plan, line -> {}));
            SampleDataSeeder.seed(onSource(demoSource), plan, line -> {});
            seededTarget.get(2, TimeUnit.MINUTES);

            // Few ranges: each range query costs the embedded server a scan and sort of the
            // collection.
            String[] ranges = {"--range-size", "40000"};
            CommandRun equal = verify(demoSource, demoTarget, new StringWriter(), ranges);
            assertThat(equal.exit()).as(equal.out() + equal.err()).isZero();
            assertThat(equal.out())
                    .contains("OK orders: source 75000, target 75000 documents")
                    .contains("OK events: source 400, target 400 documents")
                    .contains("EQUAL:");

            var target = onTarget(demoTarget);
            target.getCollection(SampleDataSeeder.ORDERS).deleteOne(Filters.eq("_id", 4242L));
            Object eventId = SampleDataSeeder.document(SampleDataSeeder.EVENTS, plan, 6).get("_id");
            target.getCollection(SampleDataSeeder.EVENTS)
                    .updateOne(Filters.eq("_id", eventId), Updates.set("note", "changed"));
            CommandRun different = verify(demoSource, demoTarget, new StringWriter(), ranges);
            assertThat(different.exit())
                    .as(different.out() + different.err())
                    .isEqualTo(VerifyCommand.EXIT_DIFFERENT);
            assertThat(different.out())
                    .contains("  missing on target (1): 4242")
                    .contains("  different (1): {\"src\": \"sensor-6\", \"seq\": 6}")
                    .contains("OK customers")
                    .contains("DIFFERENT:");
        } finally {
            onSource(demoSource).drop();
            onTarget(demoTarget).drop();
        }
    }

    @Test
    void everySelectedNamespaceAcrossDatabasesIsCompared() throws IOException {
        String otherDb = MongoTestServer.freshDatabaseName("verify_o");
        List<Document> items = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            items.add(new Document("_id", i).append("sku", "i" + i));
        }
        onSource(otherDb).getCollection("items").insertMany(items);
        onSource(otherDb).getCollection("scratch").insertOne(new Document("_id", 1));
        String targetDb = copy();
        String otherTarget = MongoTestServer.freshDatabaseName("verify_ot");
        List<RawBsonDocument> docs = new ArrayList<>();
        onSource(otherDb).getCollection("items", RawBsonDocument.class).find().into(docs);
        onTarget(otherTarget).getCollection("items", RawBsonDocument.class).insertMany(docs);
        onTarget(otherTarget).getCollection("items").deleteOne(Filters.eq("_id", 7));

        Path file = dir.resolve("namespaces.yaml");
        Files.writeString(
                file,
                "source.uri: \""
                        + SERVERS.sourceUri()
                        + "\"\nsource.namespaces: [\""
                        + sourceDb
                        + ".*\", \""
                        + otherDb
                        + ".*\"]\nsource.exclude: [\""
                        + otherDb
                        + ".scratch\"]\ntarget.uri: \""
                        + SERVERS.targetUri()
                        + "\"\ntarget.namespace-map: [\""
                        + sourceDb
                        + ".* -> "
                        + targetDb
                        + ".*\", \""
                        + otherDb
                        + ".* -> "
                        + otherTarget
                        + ".*\"]\n");
        CommandRun run =
                CommandRun.of(
                        new VerifyCommand(),
                        new StringWriter(),
                        "--config",
                        file.toString(),
                        "--range-size",
                        "500");
        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(VerifyCommand.EXIT_DIFFERENT);
        assertThat(run.out())
                .contains("OK " + sourceDb + ".orders: source " + ORDERS + ", target " + ORDERS)
                .contains("OK " + sourceDb + ".events: source 300, target 300")
                .contains("DIFF " + otherDb + ".items: source 100, target 99")
                .contains("  missing on target (1): 7")
                .doesNotContain(".scratch: source")
                .contains("DIFFERENT: ")
                .contains("in 2 database(s)")
                .contains("3 collection(s), 1 difference(s) in 1 collection(s)");
        System.out.println(run.out());

        CommandRun json =
                CommandRun.of(
                        new VerifyCommand(),
                        new StringWriter(),
                        "--config",
                        file.toString(),
                        "--json");
        JsonNode root = new ObjectMapper().readTree(json.out());
        assertThat(root.get("perDatabase").get(otherDb).get("differences").asLong()).isEqualTo(1);
        assertThat(root.get("perDatabase").get(sourceDb).get("collections").asLong()).isEqualTo(2);
    }

    /** An exact copy with the driver (raw bytes, same order): faster than a job, same result. */
    private static String copy() {
        String targetDb = MongoTestServer.freshDatabaseName("verify_t");
        for (String c : List.of("orders", "events")) {
            List<RawBsonDocument> docs = new ArrayList<>();
            onSource(sourceDb).getCollection(c, RawBsonDocument.class).find().into(docs);
            onTarget(targetDb).getCollection(c, RawBsonDocument.class).insertMany(docs);
        }
        return targetDb;
    }

    private CommandRun verify(String targetDb, String... args) {
        return verify(targetDb, new StringWriter(), args);
    }

    private CommandRun verify(String targetDb, Writer err, String... args) {
        return verify(sourceDb, targetDb, err, args);
    }

    private CommandRun verify(String sourceDb, String targetDb, Writer err, String... args) {
        Path file = dir.resolve("job-" + targetDb + ".yaml");
        try {
            Files.writeString(
                    file,
                    "source.uri: \""
                            + SERVERS.sourceUri()
                            + "\"\nsource.database: "
                            + sourceDb
                            + "\ntarget.uri: \""
                            + SERVERS.targetUri()
                            + "\"\ntarget.database: "
                            + targetDb
                            + "\n");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        List<String> all = new ArrayList<>(List.of("--config", file.toString()));
        if (!Arrays.asList(args).contains("--range-size")) {
            all.addAll(List.of("--range-size", "500"));
        }
        all.addAll(Arrays.asList(args));
        return CommandRun.of(new VerifyCommand(), err, all.toArray(new String[0]));
    }

    private static MongoDatabase onSource(String database) {
        return SERVERS.sourceClient().getDatabase(database);
    }

    private static MongoDatabase onTarget(String database) {
        return SERVERS.targetClient().getDatabase(database);
    }
}
