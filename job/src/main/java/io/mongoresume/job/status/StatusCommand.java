package io.mongoresume.job.status;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code status}: the state of a running (or the last) mongo-resume job on any Flink cluster, read from its
 * REST API: per collection snapshot progress, CDC lag and writes, the last checkpoint, the last savepoint and
 * the command that resumes from it.
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Show a mongo-resume job's progress from the Flink REST API: per collection a progress bar"
                    + " (splits finished/total, documents), CDC lag, writes, the last checkpoint and"
                    + " savepoint, and the resume command.",
            "Exit code: 0 shown, 1 no mongo-resume job found, 2 REST API unreachable."
        })
public final class StatusCommand implements Callable<Integer> {

    static final int EXIT_NO_JOB = 1;
    static final int EXIT_UNREACHABLE = 2;
    private static final int BAR_WIDTH = 24;

    @Spec CommandSpec spec;

    @Option(
            names = "--rest",
            paramLabel = "URL",
            defaultValue = "http://localhost:8081",
            description = "Flink REST endpoint (default: ${DEFAULT-VALUE}).")
    String rest;

    @Option(names = "--job", paramLabel = "ID", description = "Job id (default: the running mongo-resume job, else the latest one).")
    String jobId;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Job file to name in the printed resume command (default: a placeholder).")
    String configFile;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        FlinkRest api = new FlinkRest(rest, Duration.ofSeconds(10));
        MigrationStatus status;
        try {
            String id = jobId != null ? jobId : findJob(api);
            if (id == null) {
                err.println("No mongo-resume job on the Flink cluster at " + api.base()
                        + " (looked for jobs named mongo-resume... or with a 'Snapshot'/'MongoDB sink' operator).");
                err.flush();
                return EXIT_NO_JOB;
            }
            status = MigrationStatus.read(api, id);
        } catch (ConnectException e) {
            err.println("error: no Flink REST API at " + api.base() + " (" + e + "). Is the cluster running? Use --rest URL.");
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
            if (v.startsWith("Source: Snapshot ") || v.startsWith("MongoDB sink")) {
                return true;
            }
        }
        return false;
    }

    private void print(MigrationStatus s, PrintWriter out) {
        out.println("Job " + s.jobId + " \"" + s.jobName + "\" " + s.state + ", started "
                + Instant.ofEpochMilli(s.startTime) + ", running " + Duration.ofMillis(s.durationMs).toSeconds()
                + " s (" + rest + ")");
        if (!s.metricsAvailable) {
            out.println("Collections: no metrics (Flink serves metrics only while the job runs)");
        } else if (!"RUNNING".equals(s.state)) {
            out.println("Collections (last metric values the REST API saw while the job ran):");
        } else {
            out.println("Collections:");
        }
        int width = s.collections.keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Map.Entry<String, Map<String, Double>> e : s.collections.entrySet()) {
            out.println("  " + pad(e.getKey(), width) + "  " + line(e.getValue()));
        }
        out.println("Last checkpoint: " + describe(s.lastCheckpoint));
        out.println("Last savepoint:  " + describe(s.lastSavepoint));
        out.println(resumeAdvice(s));
    }

    static String line(Map<String, Double> m) {
        StringBuilder b = new StringBuilder();
        long total = value(m, "splitsTotal");
        long finished = value(m, "splitsFinished");
        long emitted = value(m, "documentsEmitted");
        long estimated = value(m, "estimatedDocuments");
        if (m.containsKey("splitsTotal")) {
            double fraction = total > 0 ? (double) finished / total : 0;
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            b.append('[').append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled)).append("] ")
                    .append(String.format("%3d%%", Math.round(fraction * 100)))
                    .append("  ").append(finished).append('/').append(total).append(" splits");
        }
        if (m.containsKey("documentsEmitted")) {
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
        return "#" + c.path("id").asLong() + " " + c.path("status").asText() + " at "
                + Instant.ofEpochMilli(c.path("latest_ack_timestamp").asLong()) + ", "
                + c.path("state_size").asLong() + " bytes, " + c.path("end_to_end_duration").asLong()
                + " ms, " + c.path("external_path").asText();
    }

    private String resumeAdvice(MigrationStatus s) {
        String config = configFile != null ? configFile : "<job.yaml>";
        if (s.lastSavepoint != null) {
            return "Resume: flink run -s " + s.lastSavepoint.path("external_path").asText()
                    + " job/target/mongo-resume-flink.jar --config " + config;
        }
        StringBuilder b = new StringBuilder("Resume: no savepoint yet; stop with one: flink stop --savepointPath <dir> " + s.jobId);
        if (s.lastCheckpoint != null) {
            b.append("\n        or resume from the retained checkpoint: flink run -s ")
                    .append(s.lastCheckpoint.path("external_path").asText())
                    .append(" job/target/mongo-resume-flink.jar --config ").append(config);
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
        List<Map<String, Object>> collections = new ArrayList<>();
        s.collections.forEach((name, m) -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("collection", name);
            m.forEach((k, v) -> c.put(k, Math.round(v)));
            collections.add(c);
        });
        root.put("collections", collections);
        root.put("lastCheckpoint", s.lastCheckpoint);
        root.put("lastSavepoint", s.lastSavepoint);
        root.put("resumeCommand", s.lastSavepoint == null ? null
                : "flink run -s " + s.lastSavepoint.path("external_path").asText()
                        + " job/target/mongo-resume-flink.jar --config " + (configFile != null ? configFile : "<job.yaml>"));
        return root;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
