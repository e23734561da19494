package io.mongoresume.job.precheck;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import com.mongodb.client.MongoClient;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.testutils.MongoTestServer;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code precheck} end to end against MongoDB-protocol servers: the healthy pair and each failure
 * path.
 */
class PrecheckITCase {

    private static MongoTestServer source;
    private static MongoTestServer target;
    private static String sourceDb;
    private static String targetDb;
    private static String otherDb;

    @TempDir Path dir;

    @BeforeAll
    static void seed() {
        source = MongoTestServer.source();
        target = MongoTestServer.target();
        sourceDb = MongoTestServer.freshDatabaseName("precheck");
        targetDb = MongoTestServer.freshDatabaseName("precheck_t");
        try (MongoClient client = MongoConnectionOptions.of(source.uri(), 5000).createClient()) {
            List<Document> orders = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                Object id = i % 3 == 0 ? (Object) i : i % 3 == 1 ? "order-" + i : new ObjectId();
                orders.add(
                        new Document("_id", id)
                                .append(
                                        "customer",
                                        new Document("name", "c" + i)
                                                .append("address", new Document("city", "Berlin")))
                                .append("total", i % 2 == 0 ? (Object) (i * 1.5) : (Object) i)
                                .append("tags", Arrays.asList("a", "b")));
            }
            client.getDatabase(sourceDb).getCollection("orders").insertMany(orders);
            client.getDatabase(sourceDb)
                    .getCollection("customers")
                    .insertOne(new Document("_id", 1).append("x", 1));
            // A second database for the selection across databases.
            otherDb = MongoTestServer.freshDatabaseName("precheck_o");
            List<Document> events = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                events.add(new Document("_id", i % 2 == 0 ? (Object) i : "e-" + i).append("n", i));
            }
            client.getDatabase(otherDb).getCollection("events").insertMany(events);
            client.getDatabase(otherDb).getCollection("tmp").insertOne(new Document("_id", 1));
        }
    }

    @AfterAll
    static void stop() {
        source.close();
        target.close();
    }

    @Test
    void healthyPairPassesEveryCheckAndReportsModelAndIdMix() throws IOException {
        Run run = precheck(job(), "--set", "sync.type=full");
        assertThat(run.exit).as(run.out).isZero();
        assertThat(run.out.lines().filter(l -> !l.startsWith("OK")))
                .allSatisfy(line -> assertThat(line).startsWith("PASS "));
        assertThat(run.out)
                .contains("PASS source connection:")
                .contains("PASS target connection:")
                .contains("PASS source read rights:")
                .contains("PASS target write rights: inserted and deleted a probe document")
                .contains("PASS change streams: not needed (sync.type=full)")
                .contains("PASS target existing data:");
        String model = line(run.out, "PASS data model orders:");
        assertThat(model)
                .contains("customer.address.city: string")
                .contains("total: double|int")
                .contains("tags[]: string");
        String stats = line(run.out, "PASS collection orders:");
        assertThat(stats)
                .contains("30 documents")
                .contains("int=10")
                .contains("string=10")
                .contains("objectId=10");
        System.out.println(run.out);
    }

    @Test
    void changeStreamIsOpenedWhenTheSyncTypeNeedsIt() throws IOException {
        Run run = precheck(job(), "--set", "sync.type=full+incremental");
        assertThat(run.out)
                .contains("PASS change streams: opened a change stream on " + sourceDb + ".");
        assertThat(run.exit).as(run.out).isZero();
    }

    @Test
    void simulatedMissingChangeStreamsFail() throws IOException {
        String out =
                failingPrecheck(
                        "--set", "sync.type=full+incremental", "--simulate-no-change-streams");
        assertThat(out)
                .contains("FAIL change streams: sync.type=full+incremental needs change streams");
    }

    @Test
    void unreachableHostFailsWithTheTimeoutAndNoPassword() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        String out =
                failingPrecheck(
                        "--set",
                        "source.uri=mongodb://admin:s3cret@127.0.0.1:"
                                + deadPort
                                + "/?directConnection=true",
                        "--set",
                        "source.timeout=1500 ms");
        assertThat(out)
                .contains(
                        "FAIL source connection: The source mongodb://admin:****@127.0.0.1:"
                                + deadPort)
                .contains("did not answer within 1500 ms")
                .contains("PASS target connection")
                .doesNotContain("s3cret");
    }

    @Test
    void malformedUriFailsWithoutPassword() throws IOException {
        String out = failingPrecheck("--set", "source.uri=mongodb://admin:s3cret@host:notaport/");
        assertThat(out)
                .contains("FAIL source connection: Invalid value for option 'source.uri'")
                .doesNotContain("s3cret");
    }

    @Test
    void missingCollectionFails() throws IOException {
        String out = failingPrecheck("--set", "source.collections=orders;invoices");
        assertThat(out)
                .contains(
                        "FAIL collections: source.collections names a collection that database '"
                                + sourceDb
                                + "' does not have: [invoices]");
        assertThat(out).contains("PASS collection orders:");
    }

    @Test
    void existingTargetDataIsCountedForTheChosenPolicy() throws IOException {
        String db = MongoTestServer.freshDatabaseName("precheck_existing");
        try (MongoClient client = MongoConnectionOptions.of(target.uri(), 5000).createClient()) {
            client.getDatabase(db)
                    .getCollection("orders")
                    .insertMany(
                            List.of(
                                    new Document("_id", 1),
                                    new Document("_id", 2),
                                    new Document("_id", 3)));
        }
        Run run =
                precheck(
                        job(),
                        "--set",
                        "target.database=" + db,
                        "--set",
                        "target.existing-data=clear");
        assertThat(run.exit).isZero();
        assertThat(run.out)
                .contains(
                        "WARN target existing data: target.existing-data=clear will delete 3 document(s) in 1 collection(s)");
    }

    @Test
    void aTargetThatIsTheSourceUnderAnotherHostNameFails() throws IOException {
        String sameServer = source.uri().replace("127.0.0.1", "localhost");
        Run run =
                precheck(
                        job(),
                        "--set",
                        "target.uri=" + sameServer,
                        "--set",
                        "target.database=" + sourceDb);
        assertThat(run.exit).as(run.out).isEqualTo(PrecheckCommand.EXIT_FAILED);
        assertThat(run.out)
                .contains("FAIL target is not the source: The target is the source")
                .contains("collections it reads (customers, orders)");
        assertThat(precheck(job()).out).contains("PASS target is not the source:");
    }

    @Test
    void aStartAtBeforeTheOplogFails() throws IOException {
        Run run =
                precheck(
                        job(),
                        "--set",
                        "sync.type=incremental",
                        "--set",
                        "source.collections=orders",
                        "--set",
                        "cdc.start-at=2000-01-01T00:00:00Z");
        if (run.out.contains("WARN oplog window: not exposed")) {
            return; // no readable oplog (a mongos, no rights on local): the server decides when the
            // stream opens
        }
        assertThat(run.exit).as(run.out).isEqualTo(PrecheckCommand.EXIT_FAILED);
        assertThat(run.out)
                .contains(
                        "FAIL oplog window: Invalid value '2000-01-01T00:00:00Z' for option 'cdc.start-at': the"
                                + " source no longer has the changes from then");
    }

    @Test
    void jsonHasEveryCheck() throws IOException {
        Run run = precheck(job(), "--set", "sync.type=full+incremental", "--json");
        JsonNode root = new ObjectMapper().readTree(run.out);
        assertThat(root.get("ok").asBoolean()).isTrue();
        List<String> names = new ArrayList<>();
        root.get("checks").forEach(c -> names.add(c.get("name").asText()));
        assertThat(names)
                .contains(
                        "source connection",
                        "target connection",
                        "collections",
                        "source read rights",
                        "target write rights",
                        "change streams",
                        "collection orders",
                        "data model orders",
                        "target existing data",
                        "oplog window");
        JsonNode model = null;
        for (JsonNode c : root.get("checks")) {
            if (c.get("name").asText().equals("data model orders")) {
                model = c.get("data").get("fields");
            }
        }
        assertThat(model.get("customer.address.city").get("types").get(0).asText())
                .isEqualTo("string");
        System.out.println(run.out);
    }

    @Test
    void aSelectionAcrossDatabasesIsReportedPerDatabase() throws IOException {
        Run run = precheck(namespacesJob(otherDb + ".*"), "--set", "sync.type=full");
        assertThat(run.exit).as(run.out).isZero();
        assertThat(line(run.out, "PASS collections:"))
                .contains("2 selected in 2 database(s)")
                .contains(sourceDb + ": orders")
                .contains("except [" + otherDb + ".tmp]")
                .endsWith(otherDb + ": events")
                .doesNotContain("events, tmp");
        assertThat(line(run.out, "PASS collection " + sourceDb + ".orders:"))
                .contains("30 documents");
        assertThat(line(run.out, "PASS collection " + otherDb + ".events:"))
                .contains("12 documents")
                .contains("int=6")
                .contains("string=6");
        assertThat(line(run.out, "PASS namespace map:"))
                .contains(otherDb + ".events=" + targetDb + ".events")
                .contains("by database: ")
                .contains(otherDb + " -> " + targetDb)
                .contains(sourceDb + " -> " + sourceDb);
        assertThat(line(run.out, "PASS target write rights:"))
                .contains(targetDb)
                .contains(sourceDb);
        assertThat(line(run.out, "PASS source read rights:")).contains("all 2 selected");
        System.out.println(run.out);
    }

    @Test
    void aNamespacePatternThatMatchesNothingFails() throws IOException {
        String missing = MongoTestServer.freshDatabaseName("precheck_none") + ".*";
        Run run = precheck(namespacesJob(missing), "--set", "sync.type=full");
        assertThat(run.exit).isEqualTo(PrecheckCommand.EXIT_FAILED);
        assertThat(line(run.out, "FAIL collections:"))
                .contains("Invalid value '" + missing + "' for option 'source.namespaces'")
                .contains("matches no collection");
    }

    /**
     * A job across {@code sourceDb} and {@code second} (a pattern): {@code otherDb}'s tmp left out,
     * {@code otherDb} mapped into the target database, {@code sourceDb} keeping its name.
     */
    private Path namespacesJob(String second) throws IOException {
        Path file = dir.resolve("namespaces.yaml");
        Files.writeString(
                file,
                "source:\n  uri: \""
                        + source.uri()
                        + "\"\n  namespaces: [\""
                        + sourceDb
                        + ".orders\", \""
                        + second
                        + "\"]\n  exclude: [\""
                        + otherDb
                        + ".tmp\"]\n  timeout: 5 s\n"
                        + "target:\n  uri: \""
                        + target.uri()
                        + "\"\n  namespace-map: [\""
                        + otherDb
                        + ".* -> "
                        + targetDb
                        + ".*\"]\n  timeout: 5 s\n");
        return file;
    }

    private Path job() throws IOException {
        Path file = dir.resolve("job.yaml");
        Files.writeString(
                file,
                "source:\n  uri: \""
                        + source.uri()
                        + "\"\n  database: "
                        + sourceDb
                        + "\n  collections: [orders, customers]\n  timeout: 5 s\n"
                        + "target:\n  uri: \""
                        + target.uri()
                        + "\"\n  database: "
                        + targetDb
                        + "\n  timeout: 5 s\n");
        return file;
    }

    private static String line(String out, String prefix) {
        return out.lines()
                .filter(l -> l.startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line " + prefix + " in\n" + out));
    }

    /** The output of a precheck of {@link #job()} with {@code args} that fails. */
    private String failingPrecheck(String... args) throws IOException {
        Run run = precheck(job(), args);
        assertThat(run.exit).isEqualTo(PrecheckCommand.EXIT_FAILED);
        return run.out;
    }

    private static Run precheck(Path job, String... args) {
        List<String> all = new ArrayList<>(List.of("--config", job.toString()));
        all.addAll(Arrays.asList(args));
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new PrecheckCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        int exit = cli.execute(all.toArray(new String[0]));
        return new Run(exit, out.toString());
    }

    private record Run(int exit, String out) {}
}
