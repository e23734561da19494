package io.mongoresume.job.precheck;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.changestream.ChangeStreamDocument;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.RawBsonDocument;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.mongoresume.connectors.cdc.OplogProbe;
import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.read.DocumentSize;
import io.mongoresume.connectors.target.ExistingDataPolicy;
import io.mongoresume.connectors.target.TargetOwnership;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.config.MigrationOptions;
import io.mongoresume.job.config.SyncType;
import io.mongoresume.job.preflight.Preflight;
import io.mongoresume.job.preflight.SameNamespaceCheck;
import io.mongoresume.job.preflight.SourceCollections;
import io.mongoresume.job.preflight.StartAtCheck;
import io.mongoresume.job.topology.BreakpointGuard;
import io.mongoresume.job.topology.MigrationJob;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The checks of {@code precheck}: everything a migration needs from both deployments, tried for real
 * (a find, a probe write, an opened change stream) rather than inferred from the topology. Read-only on the
 * source; on the target it writes one probe document into {@value #SCRATCH_COLLECTION} and drops that
 * collection again.
 */
public final class Precheck {

    /** Scratch collection on the target for the write probe; dropped again by the check. */
    public static final String SCRATCH_COLLECTION = "__mongo_resume_precheck";

    public static final int DEFAULT_SAMPLE_SIZE = 1000;
    public static final long DEFAULT_DOCS_PER_SECOND = 5000;

    /** The oplog window must cover this multiple of the estimated snapshot time. */
    static final int OPLOG_WINDOW_FACTOR = 2;

    /** MongoDB's Unauthorized. */
    static final int UNAUTHORIZED = 13;

    private static final int FIELDS_SHOWN = 40;
    private static final long CHANGE_STREAM_AWAIT_MS = 300;

    private final MigrationConfig config;
    private final boolean simulateNoChangeStreams;
    private final long docsPerSecond;
    private final int sampleSize;

    public Precheck(
            MigrationConfig config, boolean simulateNoChangeStreams, long docsPerSecond, int sampleSize) {
        this.config = checkNotNull(config);
        checkArgument(docsPerSecond > 0, "docs per second must be positive");
        checkArgument(sampleSize > 0, "sample size must be positive");
        this.simulateNoChangeStreams = simulateNoChangeStreams;
        this.docsPerSecond = docsPerSecond;
        this.sampleSize = sampleSize;
    }

    /** Runs every check and returns one result per check, in report order. */
    public List<CheckResult> run() {
        List<CheckResult> results = new ArrayList<>();
        MongoConnectionOptions sourceConn = config.sourceConnection();
        MongoConnectionOptions targetConn = config.targetConnection();
        try (MongoClient source = sourceConn.createClient();
                MongoClient target = targetConn.createClient()) {
            CheckResult sourceReach = reachable(source, sourceConn, config.sourceDatabase(), "source");
            CheckResult targetReach = reachable(target, targetConn, config.targetDatabase(), "target");
            results.add(sourceReach);
            results.add(targetReach);
            boolean sourceOk = sourceReach.status() != CheckStatus.FAIL;
            boolean targetOk = targetReach.status() != CheckStatus.FAIL;
            List<String> selected = new ArrayList<>();
            if (sourceOk) {
                results.add(collections(selected));
                results.add(readRights(source, selected));
            }
            if (targetOk) {
                results.add(writeRights(target));
            }
            if (sourceOk && targetOk) {
                results.add(targetIsNotTheSource(source, target, selected));
                results.add(targetOwners(selected));
            }
            if (sourceOk) {
                results.add(changeStreams(source, selected));
                long totalDocs = 0;
                MongoDatabase sourceDb = source.getDatabase(config.sourceDatabase());
                for (String collection : selected) {
                    MongoCollection<RawBsonDocument> coll =
                            sourceDb.getCollection(collection, RawBsonDocument.class);
                    DocumentSize size = DocumentSize.measure(sourceDb, collection);
                    int batchSize = size.batchSize(config.get(MigrationOptions.SNAPSHOT_FETCH_SIZE));
                    CheckResult stats = collectionStats(coll, collection, size, batchSize);
                    results.add(stats);
                    Object count = stats.data().get("estimatedCount");
                    totalDocs += count instanceof Long ? (Long) count : 0;
                    results.add(dataModel(coll, collection, batchSize));
                }
                if (targetOk) {
                    results.add(existingData(target, selected));
                }
                results.add(oplogWindow(source, totalDocs));
            }
        }
        return results;
    }

    private CheckResult reachable(
            MongoClient client, MongoConnectionOptions conn, String database, String side) {
        String name = side + " connection";
        try {
            client.getDatabase(database).runCommand(new Document("ping", 1));
        } catch (MongoException e) {
            return CheckResult.fail(name, SourceCollections.unreachable(conn, side, authCause(e)).getMessage());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("uri", conn.maskedUri());
        String version = "version unknown";
        try {
            Document info = client.getDatabase("admin").runCommand(new Document("buildInfo", 1));
            version = "MongoDB " + info.getString("version");
            data.put("version", info.getString("version"));
        } catch (MongoException e) {
            // Some deployments restrict buildInfo; reachability is what this check is about.
        }
        String topology = topology(client);
        data.put("topology", topology);
        return CheckResult.pass(
                name,
                conn.maskedUri() + " answers and authenticates (" + version + ", " + topology + ")",
                data);
    }

    /** A timeout whose cause was a refused login is reported as the login failure it is. */
    private static MongoException authCause(MongoException e) {
        if (e instanceof MongoTimeoutException
                && e.getMessage() != null
                && e.getMessage().contains("MongoSecurityException")) {
            return new com.mongodb.MongoSecurityException(null, MongoConnectionOptions.mask(e.getMessage()));
        }
        return e;
    }

    private static String topology(MongoClient client) {
        Document hello;
        try {
            hello = client.getDatabase("admin").runCommand(new Document("hello", 1));
        } catch (MongoException e) {
            try {
                hello = client.getDatabase("admin").runCommand(new Document("isMaster", 1));
            } catch (MongoException e2) {
                return "topology unknown";
            }
        }
        if ("isdbgrid".equals(hello.getString("msg"))) {
            return "sharded cluster (mongos)";
        }
        if (hello.getString("setName") != null) {
            return "replica set " + hello.getString("setName");
        }
        return "standalone";
    }

    private CheckResult collections(List<String> selected) {
        String name = "collections";
        List<String> existing;
        try {
            existing =
                    SourceCollections.listCollections(
                            config.sourceConnection(), config.sourceDatabase(), "source");
        } catch (RuntimeException e) {
            return CheckResult.fail(name, MongoConnectionOptions.mask(e.getMessage()));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("existing", existing);
        if (config.selectsByList()) {
            List<String> missing = new ArrayList<>();
            for (String c : new java.util.TreeSet<>(config.collections())) {
                if (existing.contains(c)) {
                    selected.add(c);
                } else {
                    missing.add(c);
                }
            }
            data.put("selected", selected);
            data.put("missing", missing);
            if (!missing.isEmpty()) {
                return new CheckResult(
                        CheckStatus.FAIL,
                        name,
                        "source.collections names "
                                + (missing.size() == 1 ? "a collection" : "collections")
                                + " that database '"
                                + config.sourceDatabase()
                                + "' does not have: "
                                + missing
                                + ". It has: "
                                + (existing.isEmpty() ? "no collections" : String.join(", ", existing)),
                        data);
            }
        } else {
            Pattern pattern = Pattern.compile(config.collectionRegex());
            for (String c : existing) {
                if (pattern.matcher(c).matches()) {
                    selected.add(c);
                }
            }
            data.put("selected", selected);
            if (selected.isEmpty()) {
                return new CheckResult(
                        CheckStatus.FAIL,
                        name,
                        "source.collection-regex '"
                                + config.collectionRegex()
                                + "' matches no collection of database '"
                                + config.sourceDatabase()
                                + "'",
                        data);
            }
        }
        return CheckResult.pass(
                name,
                selected.size() + " selected in " + config.sourceDatabase() + ": " + String.join(", ", selected),
                data);
    }

    private CheckResult readRights(MongoClient source, List<String> selected) {
        String name = "source read rights";
        MongoDatabase db = source.getDatabase(config.sourceDatabase());
        for (String collection : selected) {
            try {
                db.getCollection(collection, RawBsonDocument.class).find().limit(1).first();
            } catch (MongoException e) {
                return CheckResult.fail(
                        name,
                        "find on "
                                + config.sourceDatabase()
                                + "."
                                + collection
                                + " failed"
                                + (e.getCode() == UNAUTHORIZED ? " (not authorized)" : "")
                                + ": "
                                + MongoConnectionOptions.mask(e.getMessage())
                                + ". Grant the user the read role on "
                                + config.sourceDatabase());
            }
        }
        Map<String, Object> data = new LinkedHashMap<>(privileges(source));
        data.put("collectionsRead", selected.size());
        return CheckResult.pass(
                name,
                "find (limit 1) works on all "
                        + selected.size()
                        + " selected collection(s); "
                        + data.get("summary"),
                data);
    }

    /** What connectionStatus says about the user and its find privilege, where the server tells. */
    private Map<String, Object> privileges(MongoClient client) {
        Map<String, Object> data = new LinkedHashMap<>();
        Document status;
        try {
            status =
                    client.getDatabase("admin")
                            .runCommand(new Document("connectionStatus", 1).append("showPrivileges", true));
        } catch (MongoException e) {
            data.put("summary", "connectionStatus not available: " + e.getCode());
            return data;
        }
        Document auth = status.get("authInfo", Document.class);
        List<String> users = new ArrayList<>();
        boolean findGranted = false;
        if (auth != null) {
            for (Object u : auth.getList("authenticatedUsers", Object.class, List.of())) {
                if (u instanceof Document) {
                    users.add(((Document) u).getString("user") + "@" + ((Document) u).getString("db"));
                }
            }
            for (Object p : auth.getList("authenticatedUserPrivileges", Object.class, List.of())) {
                if (p instanceof Document && grantsFind((Document) p)) {
                    findGranted = true;
                }
            }
        }
        data.put("users", users);
        data.put("findPrivilege", findGranted);
        data.put(
                "summary",
                users.isEmpty()
                        ? "connectionStatus: no authenticated user (server without access control)"
                        : "connectionStatus: authenticated as "
                                + String.join(", ", users)
                                + (findGranted ? ", find privilege on " + config.sourceDatabase() : ""));
        return data;
    }

    private boolean grantsFind(Document privilege) {
        List<Object> actions = privilege.getList("actions", Object.class, List.of());
        Document resource = privilege.get("resource", Document.class);
        if (!actions.contains("find") || resource == null) {
            return false;
        }
        if (Boolean.TRUE.equals(resource.getBoolean("anyResource"))) {
            return true;
        }
        String db = resource.getString("db");
        return db != null && (db.isEmpty() || db.equals(config.sourceDatabase()));
    }

    private CheckResult writeRights(MongoClient target) {
        String name = "target write rights";
        MongoDatabase db = target.getDatabase(config.targetDatabase());
        MongoCollection<Document> scratch = db.getCollection(SCRATCH_COLLECTION);
        String what =
                "inserted and deleted a probe document in "
                        + config.targetDatabase()
                        + "."
                        + SCRATCH_COLLECTION
                        + ", then dropped that collection";
        try {
            Document probe = new Document("_id", "precheck-" + System.nanoTime());
            scratch.insertOne(probe);
            scratch.deleteOne(new Document("_id", probe.get("_id")));
            scratch.drop();
        } catch (MongoException e) {
            return CheckResult.fail(
                    name,
                    "probe write to "
                            + config.targetDatabase()
                            + "."
                            + SCRATCH_COLLECTION
                            + " failed"
                            + (e.getCode() == UNAUTHORIZED ? " (not authorized)" : "")
                            + ": "
                            + MongoConnectionOptions.mask(e.getMessage())
                            + ". Grant the user readWrite on "
                            + config.targetDatabase());
        }
        return CheckResult.pass(name, what, Map.of("scratchCollection", SCRATCH_COLLECTION));
    }

    private CheckResult changeStreams(MongoClient source, List<String> selected) {
        String name = "change streams";
        SyncType syncType = config.get(MigrationOptions.SYNC_TYPE);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("syncType", syncType.toString());
        if (!syncType.hasChangeStream()) {
            data.put("needed", false);
            return CheckResult.pass(name, "not needed (sync.type=" + syncType + ")", data);
        }
        data.put("needed", true);
        if (simulateNoChangeStreams) {
            data.put("simulated", true);
            return new CheckResult(
                    CheckStatus.FAIL,
                    name,
                    "sync.type="
                            + syncType
                            + " needs change streams, and none are available (simulated by"
                            + " --simulate-no-change-streams). Use a replica set or sharded cluster, or"
                            + " sync.type=full",
                    data);
        }
        if (selected.isEmpty()) {
            return CheckResult.warn(name, "no selected collection to open a change stream on", data);
        }
        String collection = selected.get(0);
        try (MongoChangeStreamCursor<ChangeStreamDocument<RawBsonDocument>> cursor =
                source.getDatabase(config.sourceDatabase())
                        .getCollection(collection, RawBsonDocument.class)
                        .watch()
                        .maxAwaitTime(CHANGE_STREAM_AWAIT_MS, TimeUnit.MILLISECONDS)
                        .cursor()) {
            cursor.tryNext();
        } catch (MongoException e) {
            return new CheckResult(
                    CheckStatus.FAIL,
                    name,
                    "sync.type="
                            + syncType
                            + " needs change streams, but opening one on "
                            + config.sourceDatabase()
                            + "."
                            + collection
                            + " failed: "
                            + MongoConnectionOptions.mask(e.getMessage())
                            + ". Change streams need a replica set or sharded cluster (and the"
                            + " changeStream privilege)",
                    data);
        }
        data.put("openedOn", collection);
        return CheckResult.pass(
                name,
                "opened a change stream on "
                        + config.sourceDatabase()
                        + "."
                        + collection
                        + " and read from it (tryNext)",
                data);
    }

    /** Count, {@code _id} type mix and average document size of one collection. */
    private CheckResult collectionStats(
            MongoCollection<RawBsonDocument> coll, String collection, DocumentSize size, int batchSize) {
        String name = "collection " + collection;
        Map<String, Object> data = new LinkedHashMap<>();
        long count;
        try {
            count = coll.estimatedDocumentCount();
        } catch (MongoException e) {
            return CheckResult.fail(name, "estimatedDocumentCount failed: " + e.getMessage());
        }
        data.put("estimatedCount", count);
        Map<String, Long> mix = new TreeMap<>();
        String method;
        try {
            for (BsonDocument group :
                    coll.aggregate(
                                    List.of(
                                            BsonDocument.parse(
                                                    "{$group: {_id: {$type: '$_id'}, n: {$sum: 1}}}")),
                                    BsonDocument.class)
                            .allowDiskUse(true)) {
                BsonValue type = group.get("_id");
                mix.put(type.isString() ? type.asString().getValue() : type.toString(),
                        group.getNumber("n").longValue());
            }
            method = "$group by $type";
        } catch (MongoException e) {
            mix.clear();
            method = "countDocuments per $type ($group by $type not supported: " + e.getCode() + ")";
            for (TypeBracket bracket : TypeBracket.values()) {
                for (String alias : bracket.typeAliases()) {
                    try {
                        long n =
                                coll.countDocuments(
                                        new BsonDocument(
                                                "_id", new BsonDocument("$type", new BsonString(alias))));
                        if (n > 0) {
                            mix.put(alias, n);
                        }
                    } catch (MongoException unknownAlias) {
                        // The server cannot name this type, so it cannot hold such _ids selectably.
                    }
                }
            }
        }
        data.put("idTypes", mix);
        data.put("idTypesMethod", method);
        data.put("averageDocumentBytes", size.averageBytes());
        data.put("averageDocumentSource", size.source());
        data.put("cursorBatchSize", batchSize);
        StringBuilder types = new StringBuilder();
        mix.forEach((t, n) -> types.append(types.length() == 0 ? "" : ", ").append(t).append('=').append(n));
        return CheckResult.pass(
                name,
                count
                        + " documents (estimated); _id types: "
                        + (mix.isEmpty() ? "none (empty)" : types)
                        + " (via "
                        + method
                        + "); average document "
                        + size
                        + ": cursor batches of "
                        + batchSize
                        + " documents",
                data);
    }

    private CheckResult dataModel(MongoCollection<RawBsonDocument> coll, String collection, int batchSize) {
        String name = "data model " + collection;
        DocumentSampler.Sample sample = DocumentSampler.sample(coll, sampleSize, batchSize);
        DataModel model = sample.model();
        String method = sample.method();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("sampled", model.documents());
        data.put("method", method);
        data.put("truncated", model.truncated());
        data.put("fields", model.toData());
        return CheckResult.pass(
                name,
                model.documents()
                        + " sampled ("
                        + method
                        + "): "
                        + (model.fields().isEmpty() ? "no fields" : model.describe(FIELDS_SHOWN)),
                data);
    }

    private CheckResult targetIsNotTheSource(MongoClient source, MongoClient target, List<String> selected) {
        String name = "target is not the source";
        SameNamespaceCheck.Overlap overlap;
        try {
            overlap =
                    SameNamespaceCheck.find(
                            source, target, config.sourceDatabase(), config.targetDatabase(), selected);
        } catch (RuntimeException e) {
            return CheckResult.fail(name, "could not be checked: " + MongoConnectionOptions.mask(e.getMessage()));
        }
        if (overlap != null) {
            return CheckResult.fail(name, Preflight.sameNamespaceMessage(config, overlap));
        }
        return CheckResult.pass(
                name,
                config.sourceDatabase().equals(config.targetDatabase())
                        ? "the target deployment is not the source deployment"
                        : "target database " + config.targetDatabase() + " is not the source database",
                Map.of());
    }

    /** Which migrations own the target namespaces (a fresh start onto them is refused while they do). */
    private CheckResult targetOwners(List<String> selected) {
        String name = "target owners";
        List<TargetOwnership.Owner> owners;
        try {
            owners =
                    MigrationJob.ownership(config)
                            .owners(BreakpointGuard.namespaces(config.targetDatabase(), selected));
        } catch (RuntimeException e) {
            return CheckResult.fail(name, "could not be read: " + MongoConnectionOptions.mask(e.getMessage()));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        Map<String, String> byNamespace = new TreeMap<>();
        owners.forEach(o -> byNamespace.put(o.namespace(), o.describe()));
        data.put("owners", byNamespace);
        if (owners.isEmpty()) {
            return CheckResult.pass(name, "no migration owns the target collections", data);
        }
        java.time.Instant now = java.time.Instant.now();
        boolean live = owners.stream().anyMatch(o -> o.leaseRunning(now));
        String detail =
                owners.stream()
                                .map(o -> o.namespace() + " by " + o.describe())
                                .collect(java.util.stream.Collectors.joining("; "))
                        + (live
                                ? ". A new job onto them is refused while a lease runs (resume that"
                                        + " migration, or set target.take-over=true); resuming it is fine"
                                : ". Every lease has run out: a new job takes them over");
        return live
                ? CheckResult.warn(name, detail, data)
                : CheckResult.pass(name, detail, data);
    }

    private CheckResult existingData(MongoClient target, List<String> selected) {
        String name = "target existing data";
        ExistingDataPolicy policy = config.get(MigrationOptions.TARGET_EXISTING_DATA);
        MongoDatabase db = target.getDatabase(config.targetDatabase());
        List<String> present = new ArrayList<>();
        db.listCollectionNames().into(present);
        Map<String, Long> counts = new TreeMap<>();
        long total = 0;
        for (String collection : selected) {
            if (present.contains(collection)) {
                long n = db.getCollection(collection).estimatedDocumentCount();
                counts.put(collection, n);
                total += n;
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("policy", policy.toString());
        data.put("existingCollections", counts.keySet());
        data.put("existingDocuments", total);
        data.put("perCollection", counts);
        String where = config.targetDatabase();
        if (counts.isEmpty() || total == 0) {
            return CheckResult.pass(
                    name,
                    "no documents in the selected collections of "
                            + where
                            + " ("
                            + counts.size()
                            + " exist, empty); target.existing-data="
                            + policy
                            + " changes nothing",
                    data);
        }
        String detail;
        switch (policy) {
            case CLEAR:
                detail = "target.existing-data=clear will delete " + total + " document(s) in "
                        + counts.size() + " collection(s) of " + where + " (indexes kept): " + counts;
                break;
            case DROP:
                detail = "target.existing-data=drop will drop " + counts.size() + " collection(s) of "
                        + where + " holding " + total + " document(s) and recreate them: " + counts;
                break;
            default:
                detail = "target.existing-data=keep: " + total + " document(s) already in "
                        + counts.size() + " collection(s) of " + where
                        + " stay; source documents with the same _id overwrite them, the rest remain"
                        + " (verify will report them as extra): " + counts;
        }
        detail += ". Done once, at the job's first start, never on a resume";
        return CheckResult.warn(name, detail, data);
    }

    private CheckResult oplogWindow(MongoClient source, long totalDocs) {
        String name = "oplog window";
        long estimateSeconds = (totalDocs + docsPerSecond - 1) / docsPerSecond;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("estimatedSnapshotSeconds", estimateSeconds);
        data.put("assumedDocsPerSecond", docsPerSecond);
        data.put("totalDocuments", totalDocs);
        String estimate =
                "estimated snapshot time " + estimateSeconds + " s (" + totalDocs + " docs at "
                        + docsPerSecond + " docs/s, --assume-docs-per-second)";
        BsonTimestamp first;
        BsonTimestamp last;
        try {
            first = OplogProbe.oldestTime(source);
            last = OplogProbe.newestTime(source);
        } catch (MongoException e) {
            first = null;
            last = null;
            data.put("error", e.getCode());
        }
        boolean needed = config.get(MigrationOptions.SYNC_TYPE).hasChangeStream();
        data.put("needed", needed);
        if (first == null || last == null) {
            data.put("exposed", false);
            if (!needed) {
                return CheckResult.pass(
                        name, "not needed for sync.type=full (the server does not expose it)", data);
            }
            return CheckResult.warn(
                    name,
                    "not exposed by the server (no readable local.oplog.rs); cannot compare with the "
                            + estimate,
                    data);
        }
        long windowSeconds = Math.max(0, last.getTime() - first.getTime());
        data.put("exposed", true);
        data.put("windowSeconds", windowSeconds);
        String detail = "oplog window " + windowSeconds + " s vs " + estimate + oplogFill(source, data);
        if (!needed) {
            return CheckResult.pass(name, detail + "; not needed for sync.type=full", data);
        }
        Instant startAt = config.cdcStartAt();
        String lost = startAt == null ? null : StartAtCheck.lostHistory(startAt, first);
        if (lost != null) {
            return CheckResult.fail(name, lost);
        }
        if (windowSeconds < OPLOG_WINDOW_FACTOR * estimateSeconds) {
            return CheckResult.warn(
                    name,
                    detail
                            + ": shorter than "
                            + OPLOG_WINDOW_FACTOR
                            + "x the snapshot time, the change stream may lose its start position."
                            + " Enlarge the oplog (replSetResizeOplog) or the snapshot throughput",
                    data);
        }
        return CheckResult.pass(name, detail, data);
    }

    /** How full the capped oplog is, where collStats tells: a young oplog's window still grows. */
    private static String oplogFill(MongoClient source, Map<String, Object> data) {
        try {
            Document stats =
                    source.getDatabase("local").runCommand(new Document("collStats", "oplog.rs"));
            Number size = stats.get("size", Number.class);
            Number maxSize = stats.get("maxSize", Number.class);
            if (size == null || maxSize == null || maxSize.longValue() <= 0) {
                return "";
            }
            data.put("oplogSizeBytes", size.longValue());
            data.put("oplogMaxSizeBytes", maxSize.longValue());
            if (size.doubleValue() < 0.9 * maxSize.doubleValue()) {
                return " (oplog " + size.longValue() / (1 << 20) + " of " + maxSize.longValue() / (1 << 20)
                        + " MB used: not full yet, the window still grows)";
            }
            return "";
        } catch (MongoException e) {
            return "";
        }
    }
}
