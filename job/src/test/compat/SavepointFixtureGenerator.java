import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.h2.mvstore.MVStoreTool;

import org.apache.flink.shaded.guava31.com.google.common.hash.Hashing;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.bson.types.ObjectId;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import io.mongoresume.connectors.cdc.enumerator.ChangeStreamEnumState;
import io.mongoresume.connectors.cdc.enumerator.ChangeStreamEnumStateSerializer;
import io.mongoresume.connectors.cdc.split.ChangeStreamSplit;
import io.mongoresume.connectors.cdc.split.ChangeStreamSplitSerializer;
import io.mongoresume.connectors.snapshot.enumerator.SnapshotEnumState;
import io.mongoresume.connectors.snapshot.enumerator.SnapshotEnumStateSerializer;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;
import io.mongoresume.connectors.snapshot.split.SnapshotSplitSerializer;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.preflight.SourceCollections;
import io.mongoresume.job.server.EmbeddedMongoServer;
import io.mongoresume.job.topology.ChangeStreamStart;
import io.mongoresume.job.topology.MigrationJob;

/**
 * Writes the savepoint fixtures of {@code SavepointCompatibilityITCase} with the jars of a <b>release</b>, so
 * that later builds prove they still restore that release's savepoints. It is not compiled by this build:
 * {@code generate-fixtures.sh} (next to it) exports the release commit, builds it, and runs this file against
 * that build's test classpath, as a single-file program:
 *
 * <pre>
 * java -cp "$CLASSPATH" SavepointFixtureGenerator.java &lt;full|full-incremental&gt; &lt;dir&gt; &lt;commit&gt;
 * </pre>
 *
 * <p>It uses only classes every fixture release has (and Flink's and the driver's), so one file serves them
 * all. The fixtures (test resources under {@code compat/}), and how to write them again:
 *
 * <ul>
 *   <li>release 7eef506, the first one with savepoints to keep: {@code full-mid-snapshot} and {@code
 *       incremental-mid-snapshot}, written by {@code job/src/test/compat/generate-fixtures.sh} (its default
 *       release);
 *   <li>release c3e7923, where the reorganisation into one migration plan (classes moved; the enumerator,
 *       writer and pre-flight split) starts from: {@code c3e7923-full-mid-snapshot} and {@code
 *       c3e7923-incremental-mid-snapshot}, written by {@code RELEASE=c3e7923
 *       job/src/test/compat/generate-fixtures.sh}. Beside what 7eef506 kept, its savepoints hold the breakpoint
 *       guard's state (the plan record and the migration id, uid {@code breakpoint-guard}), versioned enumerator
 *       and split states that carry the migration id, the partition settings and the read plan, and, for
 *       full+incremental, the continuous snapshot source and the collections the merge knows are done ({@code
 *       SNAPSHOT_DONE} markers); the target holds the migration's ownership claim and preparation record ({@code
 *       __mongo_resume}), which the fixture keeps.
 * </ul>
 *
 * <p>Write a fixture again only with its own release (never with a later commit: the point is that release's
 * format), and only when it became unusable for a reason outside the savepoint, such as an embedded server
 * upgrade that no longer opens the H2 file; the script names the directory after the commit ({@code
 * <commit>-<fixture>}, 7eef506's predate that and keep their names). A fixture for a further release is
 * written the same way with {@code RELEASE=<commit>}, and added to the test's fixture lists.
 *
 * <p>Both kinds use three small collections with deterministic documents ({@link Data}), copied between two
 * embedded MongoDB-protocol servers by the real job graph on a MiniCluster. A proxy in front of the source
 * holds every reply back ({@link #REPLY_DELAY_MILLIS}), so the copy is slow enough to stop half way: the
 * job is stopped with a canonical savepoint once its snapshot readers emitted {@code stopAfter} documents
 * (all of {@code customers} and a part of {@code mixed}). The generator then reads the savepoint back with the
 * release's own serializers and refuses to write a fixture that does not hold what it promises: finished,
 * in-progress and pending snapshot splits (and for full+incremental change-stream resume tokens and merge
 * state); for a release with a breakpoint guard, its migration id, which must be the one that owns the target.
 *
 * <ul>
 *   <li>{@code full}: {@code sync.type=full}. The fixture holds the source and the target (what the job had
 *       written when it stopped, its own bookkeeping collections included) as canonical extended JSON lines,
 *       and the savepoint.
 *   <li>{@code full-incremental}: {@code sync.type=full+incremental} with the source on the H2 backend. Once
 *       the copy runs, a fixed set of changes ({@link Data#changesBeforeSavepoint}) is written to the source
 *       and the job is stopped only after the target shows all of them, before the snapshot reached {@code
 *       orders}: the change streams hold resume tokens of the source's oplog, and the merge holds every
 *       touched key (but those of a collection it already knows is done, which a release with {@code
 *       SNAPSHOT_DONE} markers may have released; such a release must know {@code customers} is done). The
 *       fixture holds the source's H2 file (data, oplog, so the tokens resume), the target as JSON lines, and
 *       the savepoint.
 * </ul>
 */
public final class SavepointFixtureGenerator {

    static final String SOURCE_DB = "compat_source";
    static final String TARGET_DB = "compat_target";
    static final long REPLY_DELAY_MILLIS = 150;
    static final int MAX_ATTEMPTS = 5;
    /** Where a release's target keeps its ownership records (the job's own collection). */
    static final String METADATA_COLLECTION = "__mongo_resume";

    private static final JsonWriterSettings JSON =
            JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: SavepointFixtureGenerator <full|full-incremental> <fixture dir> <commit>");
            System.exit(2);
        }
        String kind = args[0];
        Path out = Paths.get(args[1]).toAbsolutePath();
        String commit = args[2];
        if (!kind.equals("full") && !kind.equals("full-incremental")) {
            throw new IllegalArgumentException("unknown fixture kind " + kind);
        }
        // Where the stop lands depends on timing; a savepoint that misses what the fixture is for is refused
        // (Describer#check) and the whole run is repeated on fresh servers.
        for (int attempt = 1; ; attempt++) {
            Path work = Files.createTempDirectory("compat-fixture-");
            try {
                new SavepointFixtureGenerator(kind.equals("full-incremental"), out, commit, work).run();
                break;
            } catch (UnusableFixtureException e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                System.out.println("Attempt " + attempt + ": " + e.getMessage() + "; trying again");
            } finally {
                deleteTree(work);
            }
        }
        // MiniCluster and driver threads are not all daemons.
        System.exit(0);
    }

    private final boolean incremental;
    private final Path out;
    private final String commit;
    private final Path work;
    private final Map<String, String> props = new TreeMap<>();

    private SavepointFixtureGenerator(boolean incremental, Path out, String commit, Path work) {
        this.incremental = incremental;
        this.out = out;
        this.commit = commit;
        this.work = work;
    }

    /** The job file of the fixture, without the servers and directories (the test adds its own). */
    static Map<String, String> jobOptions(boolean incremental) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("source.database", SOURCE_DB);
        raw.put("target.database", TARGET_DB);
        raw.put("sync.type", incremental ? "full+incremental" : "full");
        raw.put("snapshot.readers", "2");
        raw.put("target.writers", "2");
        raw.put("cdc.readers", "1");
        raw.put("snapshot.partition.strategy", "count");
        raw.put("snapshot.partition.size", "40");
        raw.put("snapshot.fetch-size", "10");
        raw.put("snapshot.batch-read-limit", "10");
        raw.put("checkpoint.interval", "1 s");
        raw.put("source.timeout", "10 s");
        raw.put("target.timeout", "10 s");
        raw.put("target.batch-max-wait-ms", "100");
        return raw;
    }

    private void run() throws Exception {
        Path savepoints = work.resolve("savepoints");
        Path sourceFile = work.resolve("source.mv.db");
        int stopAfter = Data.CUSTOMERS + Data.MIXED_STOP_AFTER;
        try (EmbeddedMongoServer source =
                        EmbeddedMongoServer.start("127.0.0.1", 0, incremental ? sourceFile : null);
                EmbeddedMongoServer target = EmbeddedMongoServer.startInMemory();
                DelayingProxy proxy = new DelayingProxy(source.port(), REPLY_DELAY_MILLIS);
                MongoClient sourceClient = MongoClients.create(source.uri());
                MongoClient targetClient = MongoClients.create(target.uri())) {
            MongoDatabase sourceDb = sourceClient.getDatabase(SOURCE_DB);
            MongoDatabase targetDb = targetClient.getDatabase(TARGET_DB);
            Data.seed(sourceDb);
            if (incremental) {
                // The change streams start cdc.start-margin (5 s) before the job graph is built: let the seed
                // inserts fall out of that window, so that only the changes below touch the merge.
                Thread.sleep(6_000);
            }

            Map<String, String> raw = jobOptions(incremental);
            raw.put("source.uri", "mongodb://127.0.0.1:" + proxy.port() + "/?directConnection=true");
            raw.put("target.uri", target.uri());
            raw.put("checkpoint.dir", work.resolve("checkpoints").toUri().toString());
            raw.put("savepoint.dir", savepoints.toUri().toString());
            MigrationConfig config = MigrationConfig.fromRaw(raw);

            Configuration clusterConf = REPORTER.addToConfiguration(new Configuration());
            MiniCluster cluster =
                    new MiniCluster(
                            new MiniClusterConfiguration.Builder()
                                    .setConfiguration(clusterConf)
                                    .setNumTaskManagers(1)
                                    .setNumSlotsPerTaskManager(4)
                                    .build());
            cluster.start();
            try {
                JobGraph graph = jobGraph(config);
                JobID job = cluster.submitJob(graph).get().getJobID();
                List<String> touched = new ArrayList<>();
                if (incremental) {
                    await("the first snapshot rows", Duration.ofMinutes(2), () -> emitted(job) >= 20);
                    touched = Data.changesBeforeSavepoint(sourceDb);
                    List<String> keys = touched;
                    await("the changes at the target", Duration.ofMinutes(2),
                            () -> Data.applied(sourceDb, targetDb, keys));
                    if (emitted(job) >= stopAfter) {
                        throw new UnusableFixtureException("the snapshot went too far before the changes arrived");
                    }
                }
                await("the snapshot half way", Duration.ofMinutes(3), () -> emitted(job) >= stopAfter);
                String savepoint =
                        cluster.stopWithSavepoint(job, savepoints.toUri().toString(), false,
                                        SavepointFormatType.CANONICAL)
                                .get();
                await("the stopped job", Duration.ofMinutes(1),
                        () -> status(cluster, job).isGloballyTerminalState());
                if (status(cluster, job) != JobStatus.FINISHED) {
                    throw new IllegalStateException("job ended " + status(cluster, job));
                }
                long emitted = emitted(job);
                long read = sum(job, "documentsRead");
                System.out.println(
                        "Savepoint " + savepoint + " after " + emitted + " documents emitted, " + read + " read");

                Path savepointDir = Paths.get(java.net.URI.create(savepoint));
                Describer described = new Describer(graph, savepointDir);
                Map<String, String> owners = owners(targetDb);
                described.check(incremental, touched, owners);

                props.put("generator.commit", commit);
                props.put("generator.kind", incremental ? "full-incremental" : "full");
                props.put("generator.reply-delay-ms", String.valueOf(REPLY_DELAY_MILLIS));
                jobOptions(incremental).forEach((k, v) -> props.put("option." + k, v));
                props.put("collections", String.join(",", Data.COLLECTIONS));
                props.put("before.documents-emitted", String.valueOf(emitted));
                props.put("before.documents-read", String.valueOf(read));
                props.put("before.snapshot-rows-dropped", String.valueOf(sum(job, "snapshotRowsDropped")));
                props.put("before.touched-keys", String.join(" ", touched));
                props.put("savepoint.splits-finished", String.valueOf(described.finished));
                props.put("savepoint.splits-in-progress", String.valueOf(described.inProgress));
                props.put("savepoint.splits-pending", String.valueOf(described.pending));
                List<String> notStarted = new ArrayList<>(Data.COLLECTIONS);
                notStarted.removeAll(described.started);
                props.put("savepoint.collections-not-started", String.join(",", notStarted));
                if (incremental) {
                    props.put("savepoint.merge-keys", String.valueOf(described.mergeKeys));
                    if (!described.mergeDone.isEmpty()) {
                        props.put("savepoint.merge-done-collections",
                                described.doneAtEveryMergeSubtask().stream()
                                        .map(ns -> ns.substring(SOURCE_DB.length() + 1))
                                        .collect(java.util.stream.Collectors.joining(",")));
                    }
                }
                if (!owners.isEmpty()) {
                    props.put("target.owner-migration-id",
                            String.join(",", new java.util.TreeSet<>(owners.values())));
                }
                List<String> targetCollections = new ArrayList<>();
                targetDb.listCollectionNames().into(targetCollections);
                targetCollections.sort(null);
                props.put("target.collections", String.join(",", targetCollections));
                for (String c : Data.COLLECTIONS) {
                    props.put("source.count." + c, String.valueOf(sourceDb.getCollection(c).countDocuments()));
                    props.put("target.count." + c, String.valueOf(targetDb.getCollection(c).countDocuments()));
                }
                writeFixture(sourceDb, targetDb, savepointDir, described);
            } finally {
                cluster.close();
            }
        }
        if (incremental) {
            // Closed above, so the store is flushed. Compacting rewrites the store without its free pages (same
            // maps, same entries); gzip takes it from ~3 MB to ~140 KB.
            MVStoreTool.compact(sourceFile.toString(), false);
            try (InputStream in = Files.newInputStream(sourceFile);
                    OutputStream gz =
                            new GZIPOutputStream(Files.newOutputStream(out.resolve("source.mv.db.gz")))) {
                in.transferTo(gz);
            }
        }
    }

    private static JobGraph jobGraph(MigrationConfig config) {
        List<String> collections = SourceCollections.resolve(config);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        MigrationJob.build(env, config, collections, ChangeStreamStart.resolve(config, collections));
        return env.getStreamGraph().getJobGraph();
    }

    private void writeFixture(
            MongoDatabase sourceDb, MongoDatabase targetDb, Path savepointDir, Describer described)
            throws IOException {
        if (Files.exists(out)) {
            deleteTree(out);
        }
        Files.createDirectories(out);
        copyTree(savepointDir, out.resolve("savepoint"));
        if (!incremental) {
            dump(sourceDb, out.resolve("source.jsonl"));
        }
        dump(targetDb, out.resolve("target.jsonl"));
        StringBuilder p = new StringBuilder("# Written by SavepointFixtureGenerator; see README.md\n");
        props.forEach((k, v) -> p.append(k).append('=').append(v).append('\n'));
        Files.writeString(out.resolve("fixture.properties"), p.toString());
        Files.writeString(out.resolve("README.md"), readme(described));
    }

    private String readme(Describer described) {
        String name = out.getFileName().toString();
        StringBuilder r = new StringBuilder();
        r.append("# Savepoint fixture `").append(name).append("`\n\n");
        r.append("Written by release commit ").append(commit)
                .append(" with `RELEASE=").append(commit).append(" job/src/test/compat/generate-fixtures.sh ")
                .append(incremental ? "full-incremental" : "full")
                .append("` (the script exports the commit, builds it and")
                .append(" runs `SavepointFixtureGenerator.java` against that build); data: `Data` in that file")
                .append(" (`customers` 400 Int32 ids, `mixed` 170 ids of five BSON types,")
                .append(" `orders` 300 Int64 ids).\n\n");
        r.append("- `sync.type=").append(incremental ? "full+incremental" : "full").append("`, the job options in")
                .append(" `fixture.properties` (`option.*`), stopped with a canonical savepoint once the snapshot")
                .append(" readers had emitted ").append(props.get("before.documents-emitted")).append(" rows.\n");
        r.append("- `savepoint/`: the savepoint directory as Flink wrote it.\n");
        if (incremental) {
            r.append("- `source.mv.db.gz`: the source (H2 backend of the embedded server, compacted, gzipped)")
                    .append(" at the savepoint: data and oplog, so the change streams' resume tokens resume.")
                    .append(" Serve an unzipped copy.\n");
            r.append("- Changes written to the source while the snapshot ran and applied at the target before the")
                    .append(" stop (keys in the merge state): `")
                    .append(props.get("before.touched-keys"))
                    .append("`.\n");
            if (props.containsKey("savepoint.merge-done-collections")) {
                r.append("- Collections the merge knew were done (every reader's `SNAPSHOT_DONE` marker at every")
                        .append(" merge subtask): `").append(props.get("savepoint.merge-done-collections"))
                        .append("`; their touched keys may be released already: the merge held ")
                        .append(props.get("savepoint.merge-keys")).append(" keys.\n");
            }
        } else {
            r.append("- `source.jsonl`: the source, one `{collection, document}` per line in canonical")
                    .append(" extended JSON.\n");
        }
        r.append("- `target.jsonl`: the target at the savepoint (everything the job had written), same form.\n");
        if (props.containsKey("target.owner-migration-id")) {
            r.append("- The target's `").append(METADATA_COLLECTION).append("` (in `target.jsonl`): the ownership")
                    .append(" claims of migration `").append(props.get("target.owner-migration-id"))
                    .append("` (the breakpoint guard's migration id) and its preparation record.\n");
        }
        r.append('\n');
        r.append("What the savepoint holds (read back with the release's serializers):\n\n```\n");
        r.append(described.text);
        r.append("```\n");
        return r.toString();
    }

    /**
     * The migration id of each target namespace's ownership record, read as stored (releases after 7eef506
     * keep them in {@value #METADATA_COLLECTION} of the target database; 7eef506 has none).
     */
    private static Map<String, String> owners(MongoDatabase target) {
        Map<String, String> owners = new TreeMap<>();
        for (Document record : target.getCollection(METADATA_COLLECTION).find(Filters.regex("_id", "^owner:"))) {
            owners.put(record.getString("namespace"), record.getString("migration"));
        }
        return owners;
    }

    /** The documents of the data collections, then those of any other collection (the job's own), by name. */
    private static void dump(MongoDatabase db, Path file) throws IOException {
        List<String> collections = new ArrayList<>(Data.COLLECTIONS);
        List<String> others = new ArrayList<>();
        db.listCollectionNames().into(others);
        others.removeAll(Data.COLLECTIONS);
        others.sort(null);
        collections.addAll(others);
        StringBuilder lines = new StringBuilder();
        for (String c : collections) {
            MongoCollection<RawBsonDocument> coll = db.getCollection(c, RawBsonDocument.class);
            for (RawBsonDocument doc : coll.find().sort(Sorts.ascending("_id"))) {
                BsonDocument line = new BsonDocument("collection", new BsonString(c)).append("document", doc);
                lines.append(line.toJson(JSON)).append('\n');
            }
        }
        Files.writeString(file, lines.toString());
    }

    private static long emitted(JobID job) {
        return sum(job, "documentsEmitted");
    }

    private static long sum(JobID job, String metricName) {
        long[] total = {0};
        REPORTER.getMetricsByGroup()
                .forEach(
                        (group, metrics) -> {
                            if (!job.toString().equals(group.getAllVariables().get("<job_id>"))) {
                                return;
                            }
                            Metric metric = metrics.get(metricName);
                            if (metric instanceof Counter) {
                                total[0] += ((Counter) metric).getCount();
                            } else if (metric instanceof Gauge) {
                                Object value = ((Gauge<?>) metric).getValue();
                                total[0] += value instanceof Number ? ((Number) value).longValue() : 0;
                            }
                        });
        return total[0];
    }

    private static JobStatus status(MiniCluster cluster, JobID job) {
        try {
            return cluster.getJobStatus(job).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.compareTo(a)).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** The documents: small, deterministic, several BSON types of {@code _id}. */
    static final class Data {

        static final List<String> COLLECTIONS = List.of("customers", "mixed", "orders");
        static final int CUSTOMERS = 400;
        static final int ORDERS = 300;
        /** The stop comes once this many {@code mixed} rows were emitted after all of {@code customers}. */
        static final int MIXED_STOP_AFTER = 15;

        static void seed(MongoDatabase db) {
            List<Document> customers = new ArrayList<>();
            for (int i = 0; i < CUSTOMERS; i++) {
                customers.add(new Document("_id", i).append("name", "customer " + i).append("tier", i % 3));
            }
            db.getCollection("customers").insertMany(customers);

            List<Document> mixed = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                mixed.add(new Document("_id", i).append("t", "int32"));
            }
            for (int i = 0; i < 20; i++) {
                mixed.add(new Document("_id", 1_000_000_000_000L + i).append("t", "int64"));
            }
            for (int i = 0; i < 10; i++) {
                mixed.add(new Document("_id", 100.5 + i).append("t", "double"));
            }
            for (int i = 0; i < 40; i++) {
                mixed.add(new Document("_id", String.format("key-%03d", i)).append("t", "string"));
            }
            for (int i = 0; i < 40; i++) {
                mixed.add(new Document("_id", objectId(i)).append("t", "objectId"));
            }
            for (int i = 0; i < 30; i++) {
                mixed.add(new Document("_id", new Date(1_700_000_000_000L + i * 60_000L)).append("t", "date"));
            }
            db.getCollection("mixed").insertMany(mixed);

            List<Document> orders = new ArrayList<>();
            for (int i = 0; i < ORDERS; i++) {
                orders.add(
                        new Document("_id", (long) i).append("customer", i % CUSTOMERS).append("amount", i * 1.25));
            }
            db.getCollection("orders").insertMany(orders);
        }

        static ObjectId objectId(int i) {
            return new ObjectId(String.format("65a000000000000000%06x", i));
        }

        /**
         * The changes written while the snapshot runs (before {@code orders} is read): updates, deletes and
         * inserts of new {@code _id}s in every collection. Returns the touched keys as {@code collection:_id}.
         */
        static List<String> changesBeforeSavepoint(MongoDatabase db) {
            List<String> touched = new ArrayList<>();
            MongoCollection<Document> customers = db.getCollection("customers");
            for (int id : new int[] {1, 150, 399}) {
                customers.updateOne(Filters.eq("_id", id), Updates.set("name", "customer " + id + " v2"));
                touched.add("customers:" + id);
            }
            for (int id : new int[] {2, 151}) {
                customers.deleteOne(Filters.eq("_id", id));
                touched.add("customers:" + id);
            }
            for (int id : new int[] {400, 401}) {
                customers.insertOne(new Document("_id", id).append("name", "customer " + id).append("tier", 9));
                touched.add("customers:" + id);
            }
            MongoCollection<Document> mixed = db.getCollection("mixed");
            mixed.updateOne(Filters.eq("_id", 5), Updates.set("t", "int32 v2"));
            touched.add("mixed:5");
            mixed.updateOne(Filters.eq("_id", "key-005"), Updates.set("t", "string v2"));
            touched.add("mixed:\"key-005\"");
            mixed.deleteOne(Filters.eq("_id", objectId(3)));
            touched.add("mixed:" + objectId(3).toHexString());
            mixed.insertOne(new Document("_id", "key-zzz").append("t", "string new"));
            touched.add("mixed:\"key-zzz\"");
            MongoCollection<Document> orders = db.getCollection("orders");
            for (long id : new long[] {10, 200}) {
                orders.updateOne(Filters.eq("_id", id), Updates.inc("amount", 1000.0));
                touched.add("orders:" + id + "L");
            }
            orders.deleteOne(Filters.eq("_id", 11L));
            touched.add("orders:11L");
            for (long id : new long[] {300, 301}) {
                orders.insertOne(new Document("_id", id).append("customer", 7).append("amount", 1.0));
                touched.add("orders:" + id + "L");
            }
            return touched;
        }

        /** Whether every touched key has its source state at the target (same fields, or absent on both). */
        static boolean applied(MongoDatabase source, MongoDatabase target, List<String> touched) {
            for (String key : touched) {
                String collection = key.substring(0, key.indexOf(':'));
                BsonValue id = parseId(key.substring(key.indexOf(':') + 1));
                BsonDocument s = find(source, collection, id);
                BsonDocument t = find(target, collection, id);
                if (s == null ? t != null : !s.equals(t)) {
                    return false;
                }
            }
            return true;
        }

        private static BsonDocument find(MongoDatabase db, String collection, BsonValue id) {
            return db.getCollection(collection, BsonDocument.class).find(Filters.eq("_id", id)).first();
        }

        static BsonValue parseId(String text) {
            if (text.startsWith("\"")) {
                return new BsonString(text.substring(1, text.length() - 1));
            }
            if (text.endsWith("L")) {
                return new BsonInt64(Long.parseLong(text.substring(0, text.length() - 1)));
            }
            if (text.length() == 24) {
                return new org.bson.BsonObjectId(new ObjectId(text));
            }
            return new BsonInt32(Integer.parseInt(text));
        }
    }

    /** Reads the savepoint back with the release's serializers and describes it. */
    static final class Describer {

        private static final String SOURCE_READER_STATE = "SourceReaderState";
        /** Operator list states of strings (Flink's {@code StringSerializer}), as the releases name them. */
        private static final java.util.Set<String> STRING_STATES =
                java.util.Set.of(
                        "dropped-namespaces", "snapshot-done-namespaces", "plan-record", "migration-id");
        private static final Map<String, String> UIDS =
                Map.of(
                        hash("snapshot-source"), "snapshot-source",
                        hash("change-stream-source"), "change-stream-source",
                        hash("snapshot-cdc-merge"), "snapshot-cdc-merge",
                        hash("breakpoint-guard"), "breakpoint-guard",
                        hash("mongo-sink"), "mongo-sink");

        final StringBuilder text = new StringBuilder();
        int finished;
        int inProgress;
        int pending;
        /** Collections with a split finished, assigned or held by a reader. */
        final java.util.Set<String> started = new java.util.TreeSet<>();
        int changeStreamTokens;
        long mergeKeys = -1;
        long mergeKeyedBytes;
        /** Per merge subtask, the namespaces its {@code SNAPSHOT_DONE} markers completed; empty before them. */
        final Map<Integer, List<String>> mergeDone = new TreeMap<>();
        /** The breakpoint guard's migration ids and plan-record entries; none before the guard. */
        final java.util.Set<String> guardMigrationIds = new java.util.TreeSet<>();
        int guardPlanEntries;
        /** Whether the savepoint has the breakpoint guard's operator (releases after 7eef506). */
        boolean guard;

        Describer(JobGraph graph, Path savepointDir) throws Exception {
            CheckpointMetadata metadata;
            try (DataInputStream in =
                    new DataInputStream(Files.newInputStream(savepointDir.resolve("_metadata")))) {
                metadata =
                        Checkpoints.loadCheckpointMetadata(
                                in, SavepointFixtureGenerator.class.getClassLoader(), savepointDir.toString());
            }
            List<OperatorState> states = new ArrayList<>(metadata.getOperatorStates());
            states.sort((a, b) -> name(a.getOperatorID()).compareTo(name(b.getOperatorID())));
            for (OperatorState state : states) {
                describe(state);
            }
        }

        private static String hash(String uid) {
            // What Flink's StreamGraphHasherV2 makes of an operator's uid.
            byte[] hash = Hashing.murmur3_128(0).newHasher().putString(uid, StandardCharsets.UTF_8).hash().asBytes();
            return new OperatorID(hash).toHexString();
        }

        private static String name(OperatorID id) {
            return UIDS.getOrDefault(id.toHexString(), "operator " + id.toHexString());
        }

        private void describe(OperatorState state) throws Exception {
            String name = name(state.getOperatorID());
            guard |= name.equals("breakpoint-guard");
            long size = state.getStateSize();
            text.append(name).append(" (").append(size).append(" bytes of state)\n");
            if (state.getCoordinatorState() != null) {
                describeCoordinator(state.getCoordinatorState().getData());
            }
            for (Map.Entry<Integer, OperatorSubtaskState> e : new TreeMap<>(state.getSubtaskStates()).entrySet()) {
                OperatorSubtaskState subtask = e.getValue();
                for (OperatorStateHandle handle : subtask.getManagedOperatorState()) {
                    for (Map.Entry<String, OperatorStateHandle.StateMetaInfo> s :
                            handle.getStateNameToPartitionOffsets().entrySet()) {
                        describeListState(name, e.getKey(), handle, s.getKey(), s.getValue().getOffsets());
                    }
                }
                long keyed = 0;
                for (KeyedStateHandle handle : subtask.getManagedKeyedState()) {
                    keyed += handle.getStateSize();
                }
                if (keyed > 0) {
                    text.append("  subtask ").append(e.getKey())
                            .append(": keyed state ").append(keyed).append(" bytes\n");
                    if (name.equals("snapshot-cdc-merge")) {
                        mergeKeyedBytes += keyed;
                    }
                }
            }
        }

        /** The source coordinator's bytes: coordinator serde version, enumerator state version, length, state. */
        private void describeCoordinator(byte[] bytes) throws IOException {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            in.readInt();
            int version = in.readInt();
            byte[] state = new byte[in.readInt()];
            in.readFully(state);
            int magic = new DataInputStream(new ByteArrayInputStream(state)).readInt();
            if (magic == 0x4d525345) {
                SnapshotEnumState s = new SnapshotEnumStateSerializer(SOURCE_DB).deserialize(version, state);
                text.append("  enumerator (state version ").append(version).append("): ").append(s).append('\n');
                s.collections().forEach(c -> text.append("    ").append(c).append('\n'));
                text.append("    finished: ").append(s.finishedSplitIds()).append('\n');
                text.append("    assigned: ").append(s.assignedSplits().keySet()).append('\n');
                text.append("    pending:\n");
                for (SnapshotSplit split : s.pendingSplits()) {
                    text.append("      ").append(split).append('\n');
                }
                finished += s.finishedSplitIds().size();
                pending += s.pendingSplits().size();
                // namespaces since state version 3
                s.assignedSplits().values().forEach(ns -> started.add(ns.substring(ns.indexOf('.') + 1)));
                for (String id : s.finishedSplitIds()) {
                    // "<db>.<collection>_<n>"
                    started.add(id.substring(id.indexOf('.') + 1, id.lastIndexOf('_')));
                }
            } else {
                ChangeStreamEnumState s = ChangeStreamEnumStateSerializer.INSTANCE.deserialize(version, state);
                text.append("  enumerator (state version ").append(version).append("): ").append(s).append('\n');
            }
        }

        private void describeListState(
                String operator, int subtask, OperatorStateHandle handle, String stateName, long[] offsets)
                throws IOException {
            List<Object> values = new ArrayList<>();
            try (FSDataInputStream in = handle.openInputStream()) {
                DataInputViewStreamWrapper view = new DataInputViewStreamWrapper(in);
                for (long offset : offsets) {
                    in.seek(offset);
                    if (stateName.equals(SOURCE_READER_STATE)) {
                        byte[] element = new byte[view.readInt()];
                        view.readFully(element);
                        values.add(readerSplit(operator, element));
                    } else if (stateName.equals("keys-in-state")) {
                        long keys = view.readLong();
                        values.add(keys);
                        mergeKeys = Math.max(0, mergeKeys) + keys;
                    } else if (STRING_STATES.contains(stateName)) {
                        values.add(StringSerializer.INSTANCE.deserialize(view));
                    } else {
                        values.add("(" + stateName + ")");
                    }
                }
            }
            if (stateName.equals("snapshot-done-namespaces")) {
                mergeDone.put(subtask, new ArrayList<>(values.stream().map(String::valueOf).toList()));
            } else if (stateName.equals("migration-id")) {
                values.forEach(v -> guardMigrationIds.add((String) v));
            } else if (stateName.equals("plan-record")) {
                // Every option's value: counted here, the job file is fixture.properties.
                guardPlanEntries += values.size();
                values = values.isEmpty() ? values : List.of(values.size() + " entries");
            }
            text.append("  subtask ").append(subtask).append(' ').append(stateName).append(": ");
            text.append(values.isEmpty() ? "(empty)" : values.toString()).append('\n');
        }

        private Object readerSplit(String operator, byte[] element) throws IOException {
            if (operator.equals("snapshot-source")) {
                SnapshotSplit split = SimpleVersionedSerialization.readVersionAndDeSerialize(
                        (SimpleVersionedSerializer<SnapshotSplit>) SnapshotSplitSerializer.INSTANCE, element);
                if (split.lastId() != null) {
                    inProgress++;
                }
                started.add(split.collection());
                return split;
            }
            ChangeStreamSplit split = SimpleVersionedSerialization.readVersionAndDeSerialize(
                    (SimpleVersionedSerializer<ChangeStreamSplit>) ChangeStreamSplitSerializer.INSTANCE, element);
            if (split.resumeToken() != null) {
                changeStreamTokens++;
            }
            return split;
        }

        /** The namespaces every merge subtask knows are done; empty for a release without the markers. */
        java.util.Set<String> doneAtEveryMergeSubtask() {
            java.util.Set<String> done = new java.util.TreeSet<>();
            mergeDone.values().stream().findFirst().ifPresent(done::addAll);
            mergeDone.values().forEach(done::retainAll);
            return done;
        }

        /**
         * Refuses a fixture that does not hold what it is for.
         *
         * @param owners the migration id of each target namespace's ownership record (none before ownership)
         */
        void check(boolean incremental, List<String> touched, Map<String, String> owners) {
            System.out.print(text);
            List<String> wrong = new ArrayList<>();
            if (finished == 0) {
                wrong.add("no finished split");
            }
            if (inProgress == 0) {
                wrong.add("no split in progress (held by a reader with a lastId)");
            }
            if (pending == 0) {
                wrong.add("no pending split");
            }
            if (started.contains("orders")) {
                wrong.add("orders is not entirely pending");
            }
            if (guard) {
                if (guardMigrationIds.size() != 1 || guardPlanEntries == 0) {
                    wrong.add("the breakpoint guard holds migration ids " + guardMigrationIds + " and "
                            + guardPlanEntries + " plan entries");
                }
                if (owners.size() != Data.COLLECTIONS.size()
                        || !guardMigrationIds.containsAll(owners.values())) {
                    wrong.add("the target is owned by " + owners + ", not by the guard's migration");
                }
            }
            if (incremental) {
                if (changeStreamTokens == 0) {
                    wrong.add("no change-stream split with a resume token");
                }
                // Keys of a collection done at a merge subtask may be released there already.
                java.util.Set<String> doneSomewhere = new java.util.TreeSet<>();
                mergeDone.values().forEach(doneSomewhere::addAll);
                long mustHold =
                        touched.stream()
                                .filter(k -> !doneSomewhere.contains(
                                        SOURCE_DB + "." + k.substring(0, k.indexOf(':'))))
                                .count();
                if (mergeKeys < mustHold || mergeKeys > touched.size()) {
                    wrong.add("merge holds " + mergeKeys + " keys, " + touched.size() + " were touched, "
                            + mustHold + " of collections not done");
                }
                if (!mergeDone.isEmpty() && !doneAtEveryMergeSubtask().contains(SOURCE_DB + ".customers")) {
                    wrong.add("the merge does not know everywhere that customers is done: " + mergeDone);
                }
                if (mergeKeyedBytes == 0) {
                    wrong.add("no keyed merge state");
                }
            }
            if (!wrong.isEmpty()) {
                throw new UnusableFixtureException("the savepoint is not a usable fixture: " + wrong);
            }
        }
    }

    /** A savepoint that does not hold what the fixture is for. */
    static final class UnusableFixtureException extends IllegalStateException {
        UnusableFixtureException(String message) {
            super(message);
        }
    }

    /** A loopback TCP proxy that holds every chunk of the server's replies back for a fixed delay. */
    static final class DelayingProxy implements AutoCloseable {

        private final ServerSocket listener;
        private final int targetPort;
        private final long delayMillis;
        private final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

        DelayingProxy(int targetPort, long delayMillis) throws IOException {
            this.targetPort = targetPort;
            this.delayMillis = delayMillis;
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "delaying-proxy");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private void accept() {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    sockets.addAll(Arrays.asList(client, server));
                    pump(client.getInputStream(), server.getOutputStream(), 0);
                    pump(server.getInputStream(), client.getOutputStream(), delayMillis);
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void pump(InputStream in, OutputStream out, long delay) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[64 * 1024];
                try {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        if (delay > 0) {
                            Thread.sleep(delay);
                        }
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } catch (IOException | InterruptedException e) {
                    // connection closed
                }
            }, "delaying-proxy-pump");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
