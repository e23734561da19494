package io.mongoresume.job.testutils;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.mongoresume.connectors.testutils.MiniClusters;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.plan.MigrationPlan;
import io.mongoresume.job.topology.MigrationJob;

import javax.annotation.Nullable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Builds, submits, stops and resumes the real migration job graph on a test MiniCluster. */
public final class TestJobs {

    private TestJobs() {}

    /**
     * A MiniCluster whose metrics the reporter keeps (register the result as a static extension).
     */
    public static org.apache.flink.test.junit5.MiniClusterExtension miniCluster(
            InMemoryReporter reporter, int taskManagers, int slotsPerTaskManager) {
        return MiniClusters.withMetrics(reporter, taskManagers, slotsPerTaskManager);
    }

    /** Raw options for a job between two test servers, with a private checkpoint directory. */
    public static Map<String, String> options(
            String sourceUri, String sourceDb, String targetUri, String targetDb, Path stateDir) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("source.uri", sourceUri);
        raw.put("source.database", sourceDb);
        raw.put("target.uri", targetUri);
        raw.put("target.database", targetDb);
        raw.put("checkpoint.dir", stateDir.resolve("checkpoints").toUri().toString());
        raw.put("savepoint.dir", stateDir.resolve("savepoints").toUri().toString());
        raw.put("sync.type", "full");
        raw.put("checkpoint.interval", "1 s");
        raw.put("source.timeout", "5 s");
        raw.put("target.timeout", "5 s");
        raw.put("snapshot.readers", "2");
        raw.put("target.writers", "2");
        raw.put("target.batch-max-wait-ms", "200");
        return raw;
    }

    public static JobGraph jobGraph(MigrationConfig config, @Nullable String savepoint) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        MigrationJob.build(env, MigrationPlan.of(config), savepoint != null);
        JobGraph graph = env.getStreamGraph().getJobGraph();
        if (savepoint != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        }
        return graph;
    }

    public static JobID submit(
            ClusterClient<?> client, MigrationConfig config, @Nullable String savepoint)
            throws Exception {
        return client.submitJob(jobGraph(config, savepoint)).get();
    }

    /** Waits until the job ends; a job that did not finish rethrows its failure. */
    public static JobStatus awaitTermination(ClusterClient<?> client, JobID job, Duration timeout)
            throws Exception {
        JobStatus status = awaitStatus(client, job, timeout);
        if (status != JobStatus.FINISHED) {
            client.requestJobResult(job)
                    .get()
                    .toJobExecutionResult(TestJobs.class.getClassLoader());
        }
        return status;
    }

    /**
     * Waits until the job is in a terminal state and returns it, without throwing for a failed job.
     */
    public static JobStatus awaitStatus(ClusterClient<?> client, JobID job, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JobStatus status = client.getJobStatus(job).get();
            if (status.isGloballyTerminalState()) {
                return status;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Job " + job + " did not end within " + timeout);
    }

    /** Why a terminated job failed; null when it did not. */
    @Nullable
    public static Throwable failureCause(ClusterClient<?> client, JobID job) throws Exception {
        return client.requestJobResult(job)
                .get()
                .getSerializedThrowable()
                .map(t -> t.deserializeError(TestJobs.class.getClassLoader()))
                .orElse(null);
    }

    /**
     * The newest completed checkpoint of a job started with {@link #options}'s checkpoint directory
     * under {@code stateDir} (one with its {@code _metadata}), or null when there is none yet.
     */
    @Nullable
    public static String latestCheckpoint(Path stateDir, JobID job) {
        java.io.File[] checkpoints =
                stateDir.resolve("checkpoints")
                        .resolve(job.toString())
                        .toFile()
                        .listFiles(
                                f ->
                                        f.getName().startsWith("chk-")
                                                && new java.io.File(f, "_metadata").isFile());
        if (checkpoints == null || checkpoints.length == 0) {
            return null;
        }
        java.io.File newest = checkpoints[0];
        for (java.io.File checkpoint : checkpoints) {
            if (number(checkpoint) > number(newest)) {
                newest = checkpoint;
            }
        }
        return newest.toURI().toString();
    }

    private static long number(java.io.File checkpoint) {
        return Long.parseLong(checkpoint.getName().substring("chk-".length()));
    }

    /** Stops with a savepoint, retrying while the job's tasks are still being deployed. */
    public static String stopWithSavepoint(ClusterClient<?> client, JobID job, Path dir)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            try {
                return client.stopWithSavepoint(
                                job, false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get();
            } catch (java.util.concurrent.ExecutionException e) {
                String trace = org.apache.flink.util.ExceptionUtils.stringifyException(e);
                // Tasks still deploying, or a snapshot task finishing at that moment (declined
                // while closing, or
                // already gone when the trigger reached its TaskManager): try again, as a user
                // would.
                boolean notRunningYet =
                        trace.contains("NOT_ALL_REQUIRED_TASKS_RUNNING")
                                || trace.contains("Not all required tasks are currently running")
                                || trace.contains("task is closing")
                                || trace.contains("checkpoint request for unknown task")
                                || trace.contains("Task local checkpoint failure")
                                // the job restarting after such a declined stop
                                || trace.contains(
                                        "Checkpoint needs at least one vertex that commits");
                if (!notRunningYet || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * {@link #stopWithSavepoint} into {@code dir}, then waits (a minute at most) until the job has
     * ended.
     */
    public static String stopAndAwait(ClusterClient<?> client, JobID job, Path dir)
            throws Exception {
        String savepoint = stopWithSavepoint(client, job, dir);
        awaitTermination(client, job, Duration.ofMinutes(1));
        return savepoint;
    }

    /** Waits until the job has FAILED and returns why. */
    public static Throwable awaitFailure(ClusterClient<?> client, JobID job, Duration timeout)
            throws Exception {
        await(
                "job " + job + " to fail",
                timeout,
                () -> {
                    try {
                        return client.getJobStatus(job).get() == JobStatus.FAILED;
                    } catch (Exception e) {
                        return false;
                    }
                });
        return failureCause(client, job);
    }

    /** Cancels a job and waits until it is gone (its retained checkpoints stay). */
    public static void cancel(ClusterClient<?> client, JobID job) throws Exception {
        client.cancel(job).get();
        await(
                "job " + job + " to be cancelled",
                Duration.ofMinutes(1),
                () -> {
                    try {
                        return client.getJobStatus(job).get().isGloballyTerminalState();
                    } catch (Exception e) {
                        return false;
                    }
                });
    }

    /** The newest complete ({@code _metadata} written) retained checkpoint of a job, as a path. */
    public static String latestRetainedCheckpoint(Path checkpointDir, JobID job)
            throws java.io.IOException {
        Path jobDir = checkpointDir.resolve(job.toString());
        try (java.util.stream.Stream<Path> dirs = java.nio.file.Files.list(jobDir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("chk-"))
                    .filter(d -> java.nio.file.Files.exists(d.resolve("_metadata")))
                    .max(
                            java.util.Comparator.comparingLong(
                                    d -> Long.parseLong(d.getFileName().toString().substring(4))))
                    .map(Path::toString)
                    .orElseThrow(() -> new AssertionError("No complete checkpoint in " + jobDir));
        }
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Sum of all counters (or numeric gauges) of a job whose name is {@code metricName}. */
    public static long sum(InMemoryReporter reporter, JobID job, String metricName) {
        long total = 0;
        for (Metric metric : metrics(reporter, job, metricName)) {
            total += value(metric);
        }
        return total;
    }

    /** Metric identifiers of a job ending in {@code .metricName}, with their values. */
    public static Map<String, Long> byIdentifier(
            InMemoryReporter reporter, JobID job, String metricName) {
        Map<String, Long> values = new LinkedHashMap<>();
        forEach(
                reporter,
                job,
                metricName,
                (id, metric) -> values.merge(id, value(metric), Long::sum));
        return values;
    }

    private static List<Metric> metrics(InMemoryReporter reporter, JobID job, String metricName) {
        List<Metric> found = new ArrayList<>();
        forEach(reporter, job, metricName, (id, metric) -> found.add(metric));
        return found;
    }

    /**
     * Walks groups rather than identifiers: a restarted task registers the same identifier again.
     */
    private static void forEach(
            InMemoryReporter reporter,
            JobID job,
            String metricName,
            java.util.function.BiConsumer<String, Metric> action) {
        reporter.getMetricsByGroup()
                .forEach(
                        (group, metrics) -> {
                            if (!job.toString().equals(group.getAllVariables().get("<job_id>"))) {
                                return;
                            }
                            Metric metric = metrics.get(metricName);
                            if (metric != null) {
                                action.accept(group.getMetricIdentifier(metricName), metric);
                            }
                        });
    }

    private static long value(Metric metric) {
        if (metric instanceof Counter) {
            return ((Counter) metric).getCount();
        }
        if (metric instanceof Gauge) {
            Object v = ((Gauge<?>) metric).getValue();
            return v instanceof Number ? ((Number) v).longValue() : 0;
        }
        return 0;
    }
}
