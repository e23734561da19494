package io.mongoresume.job.compat;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.destination.TargetOwnership;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.plan.MigrationPlan;
import io.mongoresume.job.server.EmbeddedMongoServer;
import io.mongoresume.job.testutils.CollectionDiff;
import io.mongoresume.job.testutils.TestJobs;
import io.mongoresume.job.topology.MigrationJob;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Savepoints taken by earlier releases restore into this build and the migration continues exactly.
 * Each fixture under {@code compat/} (test resources) is a real canonical savepoint that a
 * release's own jars wrote mid-snapshot, together with the source and the target as they were at
 * that moment; its {@code README.md} names the commit, the command ({@code
 * job/src/test/compat/generate-fixtures.sh}) and what the savepoint holds. Every test runs once per
 * release: 7eef506 (fixtures {@code full-mid-snapshot}, {@code incremental-mid-snapshot}) and
 * c3e7923 ({@code c3e7923-*}: with the breakpoint guard's state, the continuous snapshot source
 * beside the change streams, the collections the merge knew were done, and the target's ownership
 * claim), each checked alike.
 *
 * <p>The test knows nothing of the job's insides: it serves the fixture's data, builds this build's
 * job graph from the fixture's options ({@link TestJobs}), restores the savepoint, and checks the
 * data, the metrics the README documents and the target's ownership records ({@link
 * TargetOwnership}). Before the restore every target document is marked with an extra field; a
 * document the resumed job writes again loses it, so a marker still there after the copy proves
 * that no document emitted before the savepoint (and so no split finished before it) was copied
 * again. The markers are removed before the target is compared with the source document by
 * document. Afterwards every target collection is owned by one migration: for a fixture whose
 * target holds claims, theirs (the migration id restored from the savepoint, claimed when it was
 * first made); their lease is renewed before the restore as for a resume within it, so that a job
 * that lost the id is refused rather than taking the target over.
 *
 * <p>Restarts are off, so a state this build cannot read fails the job at once with its cause. The
 * fixtures name their databases and, for full+incremental, carry the source server's oplog, so this
 * test always runs on embedded servers (never on {@code -Dmongo.source.uri}). The source file of
 * full+incremental is that of the embedded server's H2 backend (mongo-java-server 1.47.0): should
 * an upgrade of it no longer open the file, regenerate the fixture; that is not a savepoint
 * incompatibility.
 */
class SavepointCompatibilityITCase {

    private static final String MARKER = "copiedBeforeTheSavepoint";

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestJobs.miniCluster(REPORTER, 1, 4);

    @TempDir Path dir;

    /**
     * {@code sync.type=full} stopped with finished, in-progress and pending splits: the resumed job
     * copies exactly the documents the release had not copied, and the target ends equal to the
     * source.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"full-mid-snapshot", "c3e7923-full-mid-snapshot"})
    void fullSyncSavepointOfAReleaseResumesExactly(
            String name, @InjectClusterClient ClusterClient<?> client) throws Exception {
        Fixture fixture = Fixture.load(name, dir);
        try (MongoTestServer source = MongoTestServer.embedded();
                MongoTestServer target = MongoTestServer.embedded();
                MongoClient sourceClient = client(source.uri());
                MongoClient targetClient = client(target.uri())) {
            MongoDatabase sourceDb = fixture.sourceDatabase(sourceClient);
            MongoDatabase targetDb = fixture.targetDatabase(targetClient);
            fixture.loadJsonLines("source.jsonl", sourceDb);
            fixture.createTargetCollections(targetDb);
            fixture.loadJsonLines("target.jsonl", targetDb);
            Map<String, Long> marked = mark(targetDb, fixture.collections);
            long sourceDocuments = count(sourceDb, fixture.collections);
            long copiedBefore = sum(marked);
            assertThat(copiedBefore)
                    .as("the fixture stopped mid-snapshot")
                    .isBetween(1L, sourceDocuments - 1);
            MigrationConfig config = fixture.config(source.uri(), target.uri(), dir);
            Map<String, Instant> claims = renewClaims(fixture, config);

            JobID job = TestJobs.submit(client, config, fixture.savepoint);
            TestJobs.awaitTermination(client, job, Duration.ofMinutes(3));

            assertStillMarked(targetDb, marked);
            long emitted = TestJobs.sum(REPORTER, job, "documentsEmitted");
            long read = TestJobs.sum(REPORTER, job, "documentsRead");
            System.out.printf(
                    "%s: %d of %d documents copied before the savepoint; resumed: read %d, emitted %d%n",
                    name, copiedBefore, sourceDocuments, read, emitted);
            assertThat(emitted)
                    .as("the resumed job copies exactly the documents the release had not copied")
                    .isEqualTo(sourceDocuments - copiedBefore);
            assertThat(read - emitted)
                    .as(
                            "read again after the restore: at most one fetch batch per split a reader held, never a"
                                    + " finished split")
                    .isBetween(0L, fixture.readers() * fixture.fetchSize());
            unmark(targetDb, fixture.collections);
            assertEqual(sourceDb, targetDb, fixture.collections, false);
            assertClaimKept(fixture, config, claims);
        }
    }

    /**
     * {@code sync.type=full+incremental} stopped mid-snapshot after changes had been applied, so
     * the change streams hold resume tokens of the source's oplog and the merge holds the touched
     * keys. The resumed job finishes the copy without copying anything twice, drops the snapshot
     * rows of keys the release's change streams had touched, releases its merge state, and then
     * carries changes made after the restore.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"incremental-mid-snapshot", "c3e7923-incremental-mid-snapshot"})
    void fullIncrementalSavepointOfAReleaseResumesExactly(
            String name, @InjectClusterClient ClusterClient<?> client) throws Exception {
        Fixture fixture = Fixture.load(name, dir);
        Path sourceFile = fixture.gunzip("source.mv.db.gz", dir.resolve("source.mv.db"));
        try (EmbeddedMongoServer source = EmbeddedMongoServer.start("127.0.0.1", 0, sourceFile);
                MongoTestServer target = MongoTestServer.embedded();
                MongoClient sourceClient = client(source.uri());
                MongoClient targetClient = client(target.uri())) {
            MongoDatabase sourceDb = fixture.sourceDatabase(sourceClient);
            MongoDatabase targetDb = fixture.targetDatabase(targetClient);
            fixture.createTargetCollections(targetDb);
            fixture.loadJsonLines("target.jsonl", targetDb);
            Map<String, Long> marked = mark(targetDb, fixture.collections);
            long sourceDocuments = count(sourceDb, fixture.collections);
            List<String> touched = fixture.touchedKeys();
            assertThat(touched).as("the fixture's changes before the savepoint").isNotEmpty();
            long touchedAtSource = touched.stream().filter(k -> exists(sourceDb, k)).count();
            long touchedAtTarget = touched.stream().filter(k -> exists(targetDb, k)).count();
            // Keys of collections the release had not begun to copy: their snapshot rows come after
            // the restore,
            // and only the restored merge state drops them.
            List<String> notStarted = fixture.list("savepoint.collections-not-started");
            long touchedUnread =
                    touched.stream()
                            .filter(
                                    k ->
                                            notStarted.contains(k.substring(0, k.indexOf(':')))
                                                    && exists(sourceDb, k))
                            .count();
            assertThat(touchedUnread)
                    .as("touched keys whose rows come after the restore")
                    .isPositive();
            MigrationConfig config = fixture.config(source.uri(), target.uri(), dir);
            Map<String, Instant> claims = renewClaims(fixture, config);

            JobID job = TestJobs.submit(client, config, fixture.savepoint);
            try {
                awaitWhileRunning(
                        client,
                        job,
                        "every source document at the target",
                        Duration.ofMinutes(3),
                        () -> snapshotCopied(sourceDb, targetDb, fixture.collections));
                // The merge state falls to 0 keys when the snapshot is done: the restored keys and
                // their timers.
                awaitWhileRunning(
                        client,
                        job,
                        "the merge to release the keys touched before the savepoint (keysInState 0)",
                        Duration.ofSeconds(30),
                        () ->
                                !TestJobs.byIdentifier(REPORTER, job, "keysInState").isEmpty()
                                        && TestJobs.sum(REPORTER, job, "keysInState") == 0);

                assertStillMarked(targetDb, marked);
                long emitted = TestJobs.sum(REPORTER, job, "documentsEmitted");
                long read = TestJobs.sum(REPORTER, job, "documentsRead");
                long dropped = TestJobs.sum(REPORTER, job, "snapshotRowsDropped");
                // Untouched keys are at the target exactly when the release had copied them; a
                // touched key's row
                // may or may not have been copied before.
                long copiedUntouched = sum(marked) - touchedAtTarget;
                System.out.printf(
                        "%s: %d source documents, %d at the target (%d touched by changes); resumed: read %d,"
                                + " emitted %d, rows dropped by the merge %d%n",
                        name,
                        sourceDocuments,
                        sum(marked),
                        touchedAtTarget,
                        read,
                        emitted,
                        dropped);
                assertThat(emitted)
                        .as(
                                "the resumed snapshot copies what the release had not copied, nothing finished before")
                        .isBetween(
                                sourceDocuments - copiedUntouched - touchedAtSource,
                                sourceDocuments - copiedUntouched);
                assertThat(read - emitted)
                        .as(
                                "read again after the restore: at most one fetch batch per split a reader held")
                        .isBetween(0L, fixture.readers() * fixture.fetchSize());
                assertThat(dropped)
                        .as(
                                "snapshot rows of keys the release's change streams had touched are dropped (restored"
                                        + " merge state)")
                        .isBetween(touchedUnread, touchedAtSource);
                unmark(targetDb, fixture.collections);
                assertEqual(sourceDb, targetDb, fixture.collections, true);

                List<String> changed = changesAfterRestore(sourceDb);
                awaitWhileRunning(
                        client,
                        job,
                        "the changes made after the restore at the target",
                        Duration.ofMinutes(2),
                        () -> changed.stream().allMatch(k -> sameAtTarget(sourceDb, targetDb, k)));
                assertEqual(sourceDb, targetDb, fixture.collections, true);
                assertClaimKept(fixture, config, claims);
            } finally {
                if (!client.getJobStatus(job).get().isGloballyTerminalState()) {
                    TestJobs.cancel(client, job);
                }
            }
        }
    }

    /**
     * Changes after the restore, in every collection: keys the release's change streams had
     * touched, keys of splits finished before the savepoint and keys copied only after it; updates,
     * deletes and new ids.
     */
    private static List<String> changesAfterRestore(MongoDatabase db) {
        List<String> keys = new ArrayList<>();
        MongoCollection<Document> customers = db.getCollection("customers");
        customers.updateOne(Filters.eq("_id", 1), Updates.set("name", "customer 1 v3"));
        customers.updateOne(Filters.eq("_id", 10), Updates.set("tier", 7));
        customers.deleteOne(Filters.eq("_id", 150));
        customers.insertOne(
                new Document("_id", 402).append("name", "customer 402").append("tier", 1));
        keys.addAll(List.of("customers:1", "customers:10", "customers:150", "customers:402"));
        MongoCollection<Document> mixed = db.getCollection("mixed");
        mixed.updateOne(Filters.eq("_id", "key-010"), Updates.set("t", "string v3"));
        mixed.deleteOne(Filters.eq("_id", new Date(1_700_000_000_000L)));
        mixed.insertOne(
                new Document("_id", new ObjectId("65b000000000000000000001"))
                        .append("t", "objectId new"));
        keys.addAll(List.of("mixed:\"key-010\"", "mixed:65b000000000000000000001"));
        MongoCollection<Document> orders = db.getCollection("orders");
        orders.updateOne(Filters.eq("_id", 10L), Updates.inc("amount", 1.0));
        orders.updateOne(Filters.eq("_id", 150L), Updates.set("customer", 1));
        orders.deleteOne(Filters.eq("_id", 12L));
        orders.insertOne(new Document("_id", 302L).append("customer", 3).append("amount", 2.5));
        keys.addAll(List.of("orders:10L", "orders:150L", "orders:12L", "orders:302L"));
        return keys;
    }

    /**
     * Waits for {@code condition}; fails at once, with the job's failure, when the job ends first.
     */
    private static void awaitWhileRunning(
            ClusterClient<?> client,
            JobID job,
            String what,
            Duration timeout,
            BooleanSupplier condition)
            throws Exception {
        TestJobs.await(
                what,
                timeout,
                () -> {
                    if (ended(client, job)) {
                        throw new AssertionError(
                                "The resumed job ended before " + what, failure(client, job));
                    }
                    return condition.getAsBoolean();
                });
    }

    private static boolean ended(ClusterClient<?> client, JobID job) {
        try {
            return client.getJobStatus(job).get().isGloballyTerminalState();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Throwable failure(ClusterClient<?> client, JobID job) {
        try {
            return TestJobs.failureCause(client, job);
        } catch (Exception e) {
            return e;
        }
    }

    /**
     * Renews the fixture's claims on the target as the release's last checkpoint did, as if it had
     * just completed (a resume within the lease: a job that lost the migration id is refused, not
     * let take over).
     *
     * @return when each target namespace was claimed; empty when the release kept no claims
     */
    private static Map<String, Instant> renewClaims(Fixture fixture, MigrationConfig config) {
        Map<String, Instant> claimed = new LinkedHashMap<>();
        String migration = fixture.ownerMigration();
        if (migration != null) {
            TargetOwnership ownership =
                    MigrationJob.ownership(io.mongoresume.job.plan.MigrationPlan.of(config));
            ownership.renew(migration, targetNamespaces(fixture, config), Instant.now());
            ownership
                    .owners(targetNamespaces(fixture, config))
                    .forEach(owner -> claimed.put(owner.namespace(), owner.claimedAt()));
        }
        return claimed;
    }

    /**
     * Every target collection is owned by one migration after the resume; when the release kept
     * claims, by their migration (the id restored from the savepoint), claimed when it first
     * claimed them (resumed, not taken over).
     *
     * @param claims the fixture's claims as served ({@link #renewClaims})
     */
    private static void assertClaimKept(
            Fixture fixture, MigrationConfig config, Map<String, Instant> claims) {
        List<TargetOwnership.Owner> owners =
                MigrationJob.ownership(io.mongoresume.job.plan.MigrationPlan.of(config))
                        .owners(targetNamespaces(fixture, config));
        assertThat(owners)
                .as("ownership records of the target collections")
                .hasSameSizeAs(fixture.collections);
        assertThat(owners.stream().map(TargetOwnership.Owner::migrationId).distinct())
                .as("migrations owning the target: %s", owners)
                .hasSize(1);
        if (fixture.ownerMigration() == null) {
            return; // the release kept no claims: the resumed job made its own
        }
        for (TargetOwnership.Owner owner : owners) {
            assertThat(owner.migrationId())
                    .as("owner of %s: the migration restored from the savepoint", owner.namespace())
                    .isEqualTo(fixture.ownerMigration());
            assertThat(owner.claimedAt())
                    .as("%s claimed when the migration first claimed it", owner.namespace())
                    .isEqualTo(claims.get(owner.namespace()));
        }
    }

    private static List<String> targetNamespaces(Fixture fixture, MigrationConfig config) {
        return MigrationPlan.of(config)
                .target()
                .namespaces(config.sourceDatabase(), fixture.collections);
    }

    private static MongoClient client(String uri) {
        return MongoConnectionOptions.of(uri, 5000).createClient();
    }

    /** Marks every target document; returns how many per collection. */
    private static Map<String, Long> mark(MongoDatabase target, List<String> collections) {
        Map<String, Long> marked = new LinkedHashMap<>();
        for (String c : collections) {
            target.getCollection(c).updateMany(new Document(), Updates.set(MARKER, true));
            marked.put(c, target.getCollection(c).countDocuments(Filters.exists(MARKER)));
        }
        return marked;
    }

    private static void assertStillMarked(MongoDatabase target, Map<String, Long> marked) {
        for (Map.Entry<String, Long> e : marked.entrySet()) {
            assertThat(target.getCollection(e.getKey()).countDocuments(Filters.exists(MARKER)))
                    .as(
                            "documents of %s copied before the savepoint and not written again",
                            e.getKey())
                    .isEqualTo(e.getValue());
        }
    }

    private static void unmark(MongoDatabase target, List<String> collections) {
        for (String c : collections) {
            target.getCollection(c).updateMany(Filters.exists(MARKER), Updates.unset(MARKER));
        }
    }

    /**
     * Every source document is at the target and nothing else (content aside: markers may still be
     * there).
     */
    private static boolean snapshotCopied(
            MongoDatabase source, MongoDatabase target, List<String> collections) {
        for (String c : collections) {
            CollectionDiff diff = CollectionDiff.of(source, target, c);
            if (!diff.missing.isEmpty() || !diff.extra.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static void assertEqual(
            MongoDatabase source,
            MongoDatabase target,
            List<String> collections,
            boolean replaced) {
        for (String c : collections) {
            CollectionDiff diff =
                    replaced
                            ? CollectionDiff.ofReplacedDocuments(source, target, c)
                            : CollectionDiff.of(source, target, c);
            assertThat(diff.isEqual()).as(diff.toString()).isTrue();
        }
    }

    private static long count(MongoDatabase db, List<String> collections) {
        return collections.stream().mapToLong(c -> db.getCollection(c).countDocuments()).sum();
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static boolean exists(MongoDatabase db, String key) {
        return find(db, key) != null;
    }

    private static boolean sameAtTarget(MongoDatabase source, MongoDatabase target, String key) {
        BsonDocument s = find(source, key);
        BsonDocument t = find(target, key);
        return s == null ? t == null : s.equals(t);
    }

    private static BsonDocument find(MongoDatabase db, String key) {
        int colon = key.indexOf(':');
        return db.getCollection(key.substring(0, colon), BsonDocument.class)
                .find(Filters.eq("_id", parseId(key.substring(colon + 1))))
                .first();
    }

    /**
     * A key as the generator writes it: {@code 5} Int32, {@code 5L} Int64, {@code "s"} string, 24
     * hex ObjectId.
     */
    private static BsonValue parseId(String text) {
        if (text.startsWith("\"")) {
            return new BsonString(text.substring(1, text.length() - 1));
        }
        if (text.endsWith("L")) {
            return new BsonInt64(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        if (text.length() == 24) {
            return new BsonObjectId(new ObjectId(text));
        }
        return new BsonInt32(Integer.parseInt(text));
    }

    /** One fixture directory: its properties, its savepoint (copied), its data files. */
    private static final class Fixture {

        final Path resources;
        final Properties properties = new Properties();
        final List<String> collections;
        final String savepoint;

        private Fixture(Path resources, Path work) throws IOException {
            this.resources = resources;
            try (InputStream in = Files.newInputStream(resources.resolve("fixture.properties"))) {
                properties.load(in);
            }
            collections = list("collections");
            Path copy = work.resolve("restore-from");
            copyTree(resources.resolve("savepoint"), copy);
            savepoint = copy.toUri().toString();
        }

        static Fixture load(String name, Path work) throws IOException, URISyntaxException {
            URL url =
                    SavepointCompatibilityITCase.class.getResource(
                            "/compat/" + name + "/fixture.properties");
            assertThat(url).as("fixture compat/" + name).isNotNull();
            return new Fixture(Paths.get(url.toURI()).getParent(), work);
        }

        String property(String key) {
            String value = properties.getProperty(key);
            assertThat(value).as("fixture property " + key).isNotNull();
            return value;
        }

        List<String> list(String key) {
            String value = property(key).trim();
            return value.isEmpty() ? List.of() : List.of(value.split(","));
        }

        MongoDatabase sourceDatabase(MongoClient client) {
            return client.getDatabase(property("option.source.database"));
        }

        MongoDatabase targetDatabase(MongoClient client) {
            return client.getDatabase(property("option.target.database"));
        }

        long readers() {
            return Long.parseLong(property("option.snapshot.readers"));
        }

        long fetchSize() {
            return Long.parseLong(property("option.snapshot.fetch-size"));
        }

        /**
         * The migration that owned the target at the savepoint; null when the release kept no
         * claims.
         */
        @Nullable
        String ownerMigration() {
            return properties.getProperty("target.owner-migration-id");
        }

        List<String> touchedKeys() {
            String keys = property("before.touched-keys").trim();
            return keys.isEmpty() ? List.of() : List.of(keys.split(" "));
        }

        /**
         * The release's job file (the fixture's options) on this test's servers and directories,
         * without restarts: a state this build cannot read fails the job with its cause instead of
         * a restart loop.
         */
        MigrationConfig config(String sourceUri, String targetUri, Path stateDir) {
            Map<String, String> raw =
                    TestJobs.options(
                            sourceUri,
                            property("option.source.database"),
                            targetUri,
                            property("option.target.database"),
                            stateDir);
            for (String key : properties.stringPropertyNames()) {
                if (key.startsWith("option.")) {
                    raw.put(key.substring("option.".length()), properties.getProperty(key));
                }
            }
            raw.put("flink.restart-strategy.type", "none");
            return MigrationConfig.fromRaw(raw);
        }

        /** The collections the release had created at the target (empty ones too). */
        void createTargetCollections(MongoDatabase target) {
            list("target.collections").forEach(target::createCollection);
        }

        /** Inserts {@code {collection, document}} lines (canonical extended JSON) in file order. */
        void loadJsonLines(String file, MongoDatabase db) throws IOException {
            Map<String, List<BsonDocument>> byCollection = new LinkedHashMap<>();
            try (Stream<String> lines = Files.lines(resources.resolve(file))) {
                lines.filter(l -> !l.isBlank())
                        .map(BsonDocument::parse)
                        .forEach(
                                line ->
                                        byCollection
                                                .computeIfAbsent(
                                                        line.getString("collection").getValue(),
                                                        c -> new ArrayList<>())
                                                .add(line.getDocument("document")));
            }
            byCollection.forEach(
                    (c, docs) -> db.getCollection(c, BsonDocument.class).insertMany(docs));
        }

        Path gunzip(String file, Path to) throws IOException {
            try (InputStream in =
                    new GZIPInputStream(Files.newInputStream(resources.resolve(file)))) {
                Files.copy(in, to);
            }
            return to;
        }

        private static void copyTree(Path from, Path to) throws IOException {
            try (Stream<Path> paths = Files.walk(from)) {
                paths.forEach(
                        p -> {
                            try {
                                Path dest = to.resolve(from.relativize(p).toString());
                                if (Files.isDirectory(p)) {
                                    Files.createDirectories(dest);
                                } else {
                                    Files.copy(p, dest);
                                }
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
            }
        }
    }
}
