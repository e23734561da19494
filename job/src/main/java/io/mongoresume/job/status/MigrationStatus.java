package io.mongoresume.job.status;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code status} reads from Flink's REST API about one mongo-resume job.
 *
 * <p>Where the metrics are (Flink 1.20, checked on a MiniCluster): the snapshot enumerator's gauges
 * are operator-coordinator metrics, listed by {@code GET
 * /jobs/:jid/vertices/:vid/jm-operator-metrics} as {@code
 * <operator>.coordinator.enumerator.collection.<db>_<coll>.splitsTotal} (they are not in the
 * vertex's subtask metrics, nor in {@code /jobmanager/metrics} or {@code /jobs/:jid/metrics});
 * reader, change-stream and sink metrics are subtask metrics, listed by {@code
 * /jobs/:jid/vertices/:vid/metrics} as {@code <subtask>.<operator>.collection.<db>_<coll>.<name>}
 * and summed over subtasks by {@code
 * /jobs/:jid/vertices/:vid/subtasks/metrics?get=<operator>.collection...&agg=sum}. The REST layer
 * replaces the dot between database and collection (and any other character outside {@code
 * [A-Za-z0-9_-]} in operator names) with {@code _}; the database prefix is stripped again using the
 * database named in the vertex names ({@code Source: Snapshot <db>}, {@code MongoDB sink -> <db>}).
 * Metrics exist only while the job runs; checkpoint statistics stay available after it ended.
 */
final class MigrationStatus {

    private static final Pattern SUBTASK_METRIC =
            Pattern.compile("^\\d+\\.((?:.*\\.)?collection\\.(.+)\\.([A-Za-z]+))$");
    private static final Pattern COORDINATOR_METRIC =
            Pattern.compile("^((?:.*\\.)?collection\\.(.+)\\.([A-Za-z]+))$");
    private static final Pattern DATABASE_IN_VERTEX =
            Pattern.compile("(?:Snapshot|sink ->|[Cc]hange [Ss]tream[s]?|CDC) +([^\\s:]+)");

    /**
     * The sources' vertices name the source databases ({@code Source: Snapshot crm,shop}); other
     * vertices (the merge's "change streams by _id") name none.
     */
    private static final Pattern SOURCE_DATABASES_IN_VERTEX =
            Pattern.compile("Source: (?:Snapshot|Change streams) ([^\\s:]+)");

    /** The enumerator's per-database gauge, {@code ...database.<db>.collectionsTotal}. */
    private static final Pattern DATABASE_METRIC =
            Pattern.compile("^(?:.*\\.)?database\\.([^.]+)\\.collectionsTotal$");

    static final Set<String> SUMMED =
            Set.of("documentsEmitted", "documentsRead", "documentsWritten", "documentsDeleted");
    static final Set<String> MAXED = Set.of("lagMs");
    static final Set<String> COORDINATOR =
            Set.of("splitsTotal", "splitsFinished", "estimatedDocuments", "snapshotDone");

    /** The snapshot source's vertex: {@code Source: Snapshot <db>}. */
    static final String SNAPSHOT_VERTEX_PREFIX = "Source: Snapshot ";

    /** Per collection: metric name to value (summed over subtasks, max for lag). */
    final Map<String, Map<String, Double>> collections = new TreeMap<>();

    /**
     * Across databases: the source database of each key of {@link #collections} (keyed {@code
     * db.collection} then); empty for a job of one source database, whose keys are collection
     * names.
     */
    final Map<String, String> databaseOf = new TreeMap<>();

    /** The source databases the snapshot's and the change streams' vertex names list. */
    final Set<String> sourceDatabases = new TreeSet<>();

    String jobId;
    String jobName;
    String state;
    long startTime;
    long durationMs;
    boolean metricsAvailable;

    /** State of the snapshot source's vertex (RUNNING, FINISHED, ...); null without a snapshot. */
    @Nullable String snapshotVertexState;

    @Nullable JsonNode lastCheckpoint;
    @Nullable JsonNode lastSavepoint;

    static MigrationStatus read(FlinkRest rest, String jobId)
            throws IOException, InterruptedException {
        MigrationStatus status = new MigrationStatus();
        JsonNode job = rest.get("/jobs/" + jobId);
        if (job == null) {
            throw new IOException("Flink at " + rest.base() + " has no job " + jobId);
        }
        status.jobId = jobId;
        status.jobName = job.path("name").asText();
        status.state = job.path("state").asText();
        status.startTime = job.path("start-time").asLong();
        status.durationMs = job.path("duration").asLong();
        status.snapshotVertexState = snapshotVertexState(job);
        Set<String> prefixes = new LinkedHashSet<>();
        for (JsonNode vertex : job.path("vertices")) {
            Matcher m = DATABASE_IN_VERTEX.matcher(vertex.path("name").asText());
            while (m.find()) {
                // A job across databases lists them: "Snapshot crm,shop".
                for (String database : m.group(1).split(",")) {
                    if (!database.isEmpty()) {
                        prefixes.add(metricName(database) + "_");
                    }
                }
            }
            Matcher sources = SOURCE_DATABASES_IN_VERTEX.matcher(vertex.path("name").asText());
            while (sources.find()) {
                for (String database : sources.group(1).split(",")) {
                    if (!database.isEmpty()) {
                        status.sourceDatabases.add(database);
                    }
                }
            }
        }
        for (JsonNode vertex : job.path("vertices")) {
            if (vertex.path("name").asText().startsWith(SNAPSHOT_VERTEX_PREFIX)) {
                String path = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText();
                for (String database : status.readEnumeratorDatabases(rest, path)) {
                    status.sourceDatabases.add(database);
                    prefixes.add(database + "_");
                }
            }
        }
        for (JsonNode vertex : job.path("vertices")) {
            String path = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText();
            status.readSubtaskMetrics(rest, path, prefixes);
            status.readCoordinatorMetrics(rest, path, prefixes);
        }
        JsonNode checkpoints = rest.get("/jobs/" + jobId + "/checkpoints");
        if (checkpoints != null) {
            JsonNode latest = checkpoints.path("latest");
            status.lastCheckpoint = nonNull(latest.get("completed"));
            status.lastSavepoint = nonNull(latest.get("savepoint"));
            if (status.lastSavepoint == null) {
                for (JsonNode c : checkpoints.path("history")) {
                    if (c.path("is_savepoint").asBoolean()
                            && "COMPLETED".equals(c.path("status").asText())) {
                        status.lastSavepoint = c;
                        break;
                    }
                }
            }
        }
        return status;
    }

    /**
     * Whether every collection's snapshot is copied while the job runs: every collection the
     * enumerator knows says {@code snapshotDone} (the snapshot beside a change stream stays open
     * for collections that appear later, so its vertex keeps running), or the snapshot source's
     * vertex finished (a bounded snapshot, or one restored as finished from an earlier version's
     * savepoint, whose enumerator does not partition again and reports nothing). Once the job ends,
     * a stop-with-savepoint finishes every vertex too, so the vertex says nothing then.
     */
    boolean snapshotFinished() {
        if (!"RUNNING".equals(state)) {
            return false;
        }
        if ("FINISHED".equals(snapshotVertexState)) {
            return true;
        }
        // Only the enumerator's per-collection gauges speak of the snapshot (readers and streams
        // add others).
        List<Map<String, Double>> snapshotted =
                collections.values().stream().filter(m -> m.containsKey("snapshotDone")).toList();
        return !snapshotted.isEmpty()
                && snapshotted.stream().allMatch(m -> m.get("snapshotDone") >= 1);
    }

    /**
     * What to resume from: the last savepoint; for a cancelled or failed job the retained
     * checkpoint when it is newer (Flink keeps it on cancellation and failure, not when the job
     * finished).
     */
    @Nullable
    JsonNode resumeFrom() {
        boolean retained = "CANCELED".equals(state) || "FAILED".equals(state);
        if (retained
                && lastCheckpoint != null
                && (lastSavepoint == null
                        || lastCheckpoint.path("latest_ack_timestamp").asLong()
                                > lastSavepoint.path("latest_ack_timestamp").asLong())) {
            return lastCheckpoint;
        }
        return lastSavepoint;
    }

    @Nullable
    static String snapshotVertexState(JsonNode job) {
        for (JsonNode vertex : job.path("vertices")) {
            if (vertex.path("name").asText().startsWith(SNAPSHOT_VERTEX_PREFIX)) {
                return vertex.path("status").asText();
            }
        }
        return null;
    }

    private void readSubtaskMetrics(FlinkRest rest, String vertexPath, Set<String> prefixes)
            throws IOException, InterruptedException {
        Set<String> summed = new LinkedHashSet<>();
        Set<String> maxed = new LinkedHashSet<>();
        for (String id : rest.metricNames(vertexPath + "/metrics")) {
            Matcher m = SUBTASK_METRIC.matcher(id);
            if (m.matches()) {
                if (SUMMED.contains(m.group(3))) {
                    summed.add(m.group(1));
                } else if (MAXED.contains(m.group(3))) {
                    maxed.add(m.group(1));
                }
            }
        }
        store(
                rest.metricValues(vertexPath + "/subtasks/metrics", new ArrayList<>(summed), "sum"),
                prefixes);
        store(
                rest.metricValues(vertexPath + "/subtasks/metrics", new ArrayList<>(maxed), "max"),
                prefixes);
    }

    /**
     * The source databases the snapshot enumerator has collections of ({@code
     * database.<db>.collectionsTotal}, names as the REST layer writes them): also those the vertex
     * name does not list (it lists a few; a database may appear after the start).
     */
    private Set<String> readEnumeratorDatabases(FlinkRest rest, String vertexPath)
            throws IOException, InterruptedException {
        Set<String> databases = new TreeSet<>();
        for (String id : rest.metricNames(vertexPath + "/jm-operator-metrics")) {
            Matcher m = DATABASE_METRIC.matcher(id);
            if (m.matches()) {
                databases.add(m.group(1));
            }
        }
        return databases;
    }

    private void readCoordinatorMetrics(FlinkRest rest, String vertexPath, Set<String> prefixes)
            throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        for (String id : rest.metricNames(vertexPath + "/jm-operator-metrics")) {
            Matcher m = COORDINATOR_METRIC.matcher(id);
            if (m.matches() && COORDINATOR.contains(m.group(3))) {
                names.add(id);
            }
        }
        store(rest.metricValues(vertexPath + "/jm-operator-metrics", names, null), prefixes);
    }

    private void store(Map<String, Double> values, Set<String> prefixes) {
        values.forEach(
                (id, value) -> {
                    Matcher m = COORDINATOR_METRIC.matcher(id);
                    if (!m.matches()) {
                        return;
                    }
                    metricsAvailable = true;
                    String collection = key(m.group(2), prefixes);
                    collections
                            .computeIfAbsent(collection, c -> new LinkedHashMap<>())
                            .merge(
                                    m.group(3),
                                    value,
                                    MAXED.contains(m.group(3)) ? Math::max : Double::sum);
                });
    }

    /**
     * The collection a metric belongs to: its name without the database, or across source databases
     * {@code db.collection} (recorded in {@link #databaseOf}).
     */
    private String key(String namespace, Set<String> prefixes) {
        if (sourceDatabases.size() > 1) {
            String best = null;
            for (String database : sourceDatabases) {
                String prefix = metricName(database) + "_";
                if (namespace.startsWith(prefix)
                        && namespace.length() > prefix.length()
                        && (best == null || database.length() > best.length())) {
                    best = database;
                }
            }
            if (best != null) {
                String key = best + "." + namespace.substring(metricName(best).length() + 1);
                databaseOf.put(key, best);
                return key;
            }
        }
        return stripDatabase(namespace, prefixes);
    }

    /** A name as Flink's REST layer writes it in metric identifiers. */
    private static String metricName(String name) {
        return name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private static String stripDatabase(String namespace, Set<String> prefixes) {
        String best = "";
        for (String prefix : prefixes) {
            if (namespace.startsWith(prefix)
                    && prefix.length() > best.length()
                    && namespace.length() > prefix.length()) {
                best = prefix;
            }
        }
        return namespace.substring(best.length());
    }

    private static JsonNode nonNull(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }
}
