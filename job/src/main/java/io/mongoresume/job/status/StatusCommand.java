package io.mongoresume.job.status;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import io.mongoresume.job.cli.ReportCommand;
import io.mongoresume.job.plan.MigrationPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code status}: the state of a running (or the last) mongo-resume job on any Flink cluster, read
 * from its REST API: per collection snapshot progress, CDC lag and writes, the last checkpoint, the
 * last savepoint and the command that resumes from it. When no REST API knows the job (its process
 * died) and the job file or the state directories are given, the newest complete retained
 * checkpoint and savepoint on disk instead.
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Show a mongo-resume job's progress from the Flink REST API: per collection a progress bar"
                    + " (splits finished/total, documents), CDC lag, writes, the last checkpoint and"
                    + " savepoint, and the resume command.",
            "With no reachable REST API or no job there (a local run whose process died), and --config or"
                    + " --checkpoint-dir/--savepoint-dir: the newest complete retained checkpoint and the newest"
                    + " savepoint in those directories, and the command that resumes from the newer one.",
            "Exit code: 0 shown (a job, or where to resume one), 1 no mongo-resume job and nothing to resume"
                    + " from, 2 REST API unreachable and no directory to look into."
        })
public final class StatusCommand extends ReportCommand {

    static final int EXIT_NO_JOB = 1;
    static final int EXIT_UNREACHABLE = 2;
    private static final int BAR_WIDTH = 24;

    @Option(
            names = "--rest",
            paramLabel = "URL",
            defaultValue = "http://localhost:8081",
            description = "Flink REST endpoint (default: ${DEFAULT-VALUE}).")
    String rest;

    @Option(
            names = "--job",
            paramLabel = "ID",
            description = "Job id (default: the running mongo-resume job, else the latest one).")
    String jobId;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "Job file: named in the resume command, and its checkpoint.dir and savepoint.dir are"
                            + " searched when no REST API knows the job.")
    String configFile;

    @Option(
            names = "--checkpoint-dir",
            paramLabel = "DIR",
            description =
                    "Search this checkpoint directory (default: the job file's checkpoint.dir).")
    String checkpointDir;

    @Option(
            names = "--savepoint-dir",
            paramLabel = "DIR",
            description =
                    "Search this savepoint directory (default: the job file's savepoint.dir).")
    String savepointDir;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    protected int run(PrintWriter out, PrintWriter err) throws Exception {
        FlinkRest api = new FlinkRest(rest, Duration.ofSeconds(10));
        MigrationStatus status;
        try {
            String id = jobId != null ? jobId : findJob(api);
            if (id == null) {
                String none =
                        "No mongo-resume job on the Flink cluster at "
                                + api.base()
                                + " (looked for jobs named mongo-resume... or with a 'Snapshot'/'MongoDB sink' operator).";
                if (knowsStateDirectories()) {
                    return retainedState(none, out);
                }
                err.println(none);
                err.flush();
                return EXIT_NO_JOB;
            }
            status = MigrationStatus.read(api, id);
        } catch (ConnectException e) {
            String unreachable =
                    "No Flink REST API at "
                            + api.base()
                            + " ("
                            + (e.getMessage() != null ? e.getMessage() : "connection refused")
                            + ").";
            if (knowsStateDirectories()) {
                return retainedState(unreachable, out);
            }
            err.println(
                    "error: "
                            + unreachable.replace("No Flink", "no Flink")
                            + " Is the cluster running? Use --rest URL, or --config FILE to look for retained"
                            + " checkpoints and savepoints.");
            err.flush();
            return EXIT_UNREACHABLE;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return EXIT_UNREACHABLE;
        }
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(toData(status)));
        } else {
            print(status, out);
        }
        out.flush();
        return 0;
    }

    private boolean knowsStateDirectories() {
        return configFile != null || checkpointDir != null || savepointDir != null;
    }

    /** The process that ran the job is gone: what its state directories hold is all there is. */
    private int retainedState(String why, PrintWriter out) throws IOException {
        String checkpoints = checkpointDir;
        String savepoints = savepointDir;
        if (configFile != null && (checkpoints == null || savepoints == null)) {
            MigrationPlan plan = MigrationPlan.load(Path.of(configFile), List.of());
            checkpoints = checkpoints != null ? checkpoints : plan.runtime().checkpointDir();
            savepoints = savepoints != null ? savepoints : plan.runtime().savepointDir();
        }
        RetainedStateReport report = RetainedStateReport.scan(checkpoints, savepoints, configFile);
        if (json) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("rest", rest);
            data.put("job", null);
            data.put("reason", why);
            data.putAll(report.toData());
            out.println(new ObjectMapper().writeValueAsString(data));
        } else {
            out.println(why + " Looking at the job's state directories:");
            report.print(out);
        }
        out.flush();
        return report.found() ? 0 : EXIT_NO_JOB;
    }

    /** The running mongo-resume job started last, else the mongo-resume job started last. */
    static String findJob(FlinkRest api) throws IOException, InterruptedException {
        JsonNode overview = api.get("/jobs/overview");
        String best = null;
        boolean bestRunning = false;
        long bestStart = Long.MIN_VALUE;
        if (overview == null) {
            return null;
        }
        for (JsonNode job : overview.path("jobs")) {
            String id = job.path("jid").asText();
            boolean running = "RUNNING".equals(job.path("state").asText());
            long start = job.path("start-time").asLong();
            if ((bestRunning && !running) || (bestRunning == running && start <= bestStart)) {
                continue;
            }
            if (isMongoResume(api, id, job.path("name").asText())) {
                best = id;
                bestRunning = running;
                bestStart = start;
            }
        }
        return best;
    }

    private static boolean isMongoResume(FlinkRest api, String id, String name)
            throws IOException, InterruptedException {
        if (name.startsWith("mongo-resume")) {
            return true;
        }
        JsonNode job = api.get("/jobs/" + id);
        if (job == null) {
            return false;
        }
        for (JsonNode vertex : job.path("vertices")) {
            String v = vertex.path("name").asText();
            if (v.startsWith(MigrationStatus.SNAPSHOT_VERTEX_PREFIX)
                    || v.startsWith("MongoDB sink")) {
                return true;
            }
        }
        return false;
    }

    private void print(MigrationStatus s, PrintWriter out) {
        out.println(
                "Job "
                        + s.jobId
                        + " \""
                        + s.jobName
                        + "\" "
                        + s.state
                        + ", started "
                        + Instant.ofEpochMilli(s.startTime)
                        + ", running "
                        + Duration.ofMillis(s.durationMs).toSeconds()
                        + " s ("
                        + rest
                        + ")");
        if (!s.metricsAvailable) {
            out.println(
                    "Collections: no metrics (Flink serves metrics only while the job runs)"
                            + (s.snapshotFinished() ? "; the snapshot is finished" : ""));
        } else if (!"RUNNING".equals(s.state)) {
            out.println("Collections (last metric values the REST API saw while the job ran):");
        } else {
            out.println(s.snapshotFinished() ? "Collections (snapshot finished):" : "Collections:");
        }
        if (s.databaseOf.isEmpty()) {
            int width = s.collections.keySet().stream().mapToInt(String::length).max().orElse(0);
            for (Map.Entry<String, Map<String, Double>> e : s.collections.entrySet()) {
                out.println(
                        "  "
                                + pad(e.getKey(), width)
                                + "  "
                                + line(e.getValue(), s.snapshotFinished()));
            }
        } else {
            printByDatabase(out, s);
        }
        out.println("Last checkpoint: " + describe(s.lastCheckpoint));
        out.println("Last savepoint:  " + describe(s.lastSavepoint));
        out.println(resumeAdvice(s));
    }

    /**
     * Across databases: a header per source database, its collections under it (by name alone);
     * metrics of other namespaces (written under mapped names, say) last, under "other".
     */
    private static void printByDatabase(PrintWriter out, MigrationStatus s) {
        Map<String, Map<String, Map<String, Double>>> byDatabase = new TreeMap<>();
        Map<String, Map<String, Double>> other = new TreeMap<>();
        s.collections.forEach(
                (key, metrics) -> {
                    String database = s.databaseOf.get(key);
                    if (database == null) {
                        other.put(key, metrics);
                    } else {
                        byDatabase
                                .computeIfAbsent(database, d -> new TreeMap<>())
                                .put(key.substring(database.length() + 1), metrics);
                    }
                });
        if (!other.isEmpty()) {
            byDatabase.put("other", other);
        }
        int width =
                byDatabase.values().stream()
                        .flatMap(m -> m.keySet().stream())
                        .mapToInt(String::length)
                        .max()
                        .orElse(0);
        byDatabase.forEach(
                (database, collections) -> {
                    out.println("  " + database + ":");
                    collections.forEach(
                            (name, metrics) ->
                                    out.println(
                                            "    "
                                                    + pad(name, width)
                                                    + "  "
                                                    + line(metrics, s.snapshotFinished())));
                });
    }

    /**
     * One collection's line. Its snapshot is done when the snapshot source finished ({@code
     * snapshotFinished}) or its enumerator says so, also with no split at all (an empty
     * collection); split counts are shown only when they agree with that (a source restored as
     * finished may count nothing).
     */
    static String line(Map<String, Double> m, boolean snapshotFinished) {
        StringBuilder b = new StringBuilder();
        long total = value(m, "splitsTotal");
        long finished = value(m, "splitsFinished");
        long emitted = value(m, "documentsEmitted");
        long estimated = value(m, "estimatedDocuments");
        boolean done = snapshotFinished || value(m, "snapshotDone") == 1;
        if (done || m.containsKey("splitsTotal")) {
            double fraction = done ? 1 : total > 0 ? (double) finished / total : 0;
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            b.append('[')
                    .append("#".repeat(filled))
                    .append("-".repeat(BAR_WIDTH - filled))
                    .append("] ")
                    .append(String.format("%3d%%", Math.round(fraction * 100)));
            if (m.containsKey("splitsTotal") && (!done || finished == total)) {
                b.append("  ").append(finished).append('/').append(total).append(" splits");
            }
        }
        if (m.containsKey("documentsEmitted") && (!done || emitted > 0)) {
            b.append("  ").append(emitted).append(" docs read");
            if (estimated > 0) {
                b.append(" of ~").append(estimated);
            }
        }
        if (m.containsKey("lagMs")) {
            b.append("  CDC lag ").append(value(m, "lagMs")).append(" ms");
        }
        if (m.containsKey("documentsWritten")) {
            b.append("  ").append(value(m, "documentsWritten")).append(" written");
        }
        if (value(m, "documentsDeleted") > 0) {
            b.append(", ").append(value(m, "documentsDeleted")).append(" deleted");
        }
        return b.toString().trim();
    }

    private static long value(Map<String, Double> m, String name) {
        Double v = m.get(name);
        return v == null ? 0 : Math.round(v);
    }

    private static String describe(JsonNode c) {
        if (c == null) {
            return "none";
        }
        return "#"
                + c.path("id").asLong()
                + " "
                + c.path("status").asText()
                + " at "
                + Instant.ofEpochMilli(c.path("latest_ack_timestamp").asLong())
                + ", "
                + c.path("state_size").asLong()
                + " bytes, "
                + c.path("end_to_end_duration").asLong()
                + " ms, "
                + c.path("external_path").asText();
    }

    private String resumeAdvice(MigrationStatus s) {
        String config = configFile != null ? configFile : "<job.yaml>";
        JsonNode from = s.resumeFrom();
        if (from != null) {
            String which =
                    from == s.lastSavepoint
                            ? ""
                            : s.lastSavepoint == null
                                    ? " from the retained checkpoint"
                                    : " from the retained checkpoint (newer than the last savepoint)";
            return "Resume" + which + ": " + flinkRun(from, config);
        }
        if ("FINISHED".equals(s.state)) {
            return "Resume: nothing to resume, the job finished.";
        }
        StringBuilder b =
                new StringBuilder(
                        "Resume: no savepoint yet; stop with one: flink stop --savepointPath <dir> "
                                + s.jobId);
        if (s.lastCheckpoint != null) {
            b.append("\n        or resume from the retained checkpoint: flink run -s ")
                    .append(s.lastCheckpoint.path("external_path").asText())
                    .append(" job/target/mongo-resume-flink.jar --config ")
                    .append(config);
        }
        return b.toString();
    }

    private Map<String, Object> toData(MigrationStatus s) {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("id", s.jobId);
        job.put("name", s.jobName);
        job.put("state", s.state);
        job.put("startTime", s.startTime);
        job.put("durationMs", s.durationMs);
        root.put("rest", rest);
        root.put("job", job);
        root.put("metricsAvailable", s.metricsAvailable);
        root.put("snapshotFinished", s.snapshotFinished());
        List<Map<String, Object>> collections = new ArrayList<>();
        s.collections.forEach(
                (name, m) -> {
                    Map<String, Object> c = new LinkedHashMap<>();
                    String database = s.databaseOf.get(name);
                    if (database != null) {
                        c.put("database", database);
                        c.put("collection", name.substring(database.length() + 1));
                    } else {
                        c.put("collection", name);
                    }
                    m.forEach((k, v) -> c.put(k, Math.round(v)));
                    if (s.snapshotFinished()) {
                        c.put("snapshotDone", 1L);
                    }
                    collections.add(c);
                });
        root.put("collections", collections);
        root.put("lastCheckpoint", s.lastCheckpoint);
        root.put("lastSavepoint", s.lastSavepoint);
        JsonNode from = s.resumeFrom();
        root.put(
                "resumeCommand",
                from == null
                        ? null
                        : flinkRun(from, configFile != null ? configFile : "<job.yaml>"));
        return root;
    }

    private static String flinkRun(JsonNode restorePoint, String config) {
        return "flink run -s "
                + restorePoint.path("external_path").asText()
                + " job/target/mongo-resume-flink.jar --config "
                + config;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
