package io.mongoresume.job.local;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;

import io.mongoresume.job.plan.MigrationPlan;
import io.mongoresume.job.topology.CheckedPlan;
import io.mongoresume.job.topology.MigrationJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import javax.annotation.Nullable;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Runs a migration on an in-process Flink MiniCluster with the web UI. Ctrl-C or SIGTERM stops the
 * job with a savepoint and prints the command that resumes from it. The signal is handled with
 * {@link Signal}, not a shutdown hook: a hook would race Flink's own hooks, which delete the blob
 * and temp directories on exit.
 */
public final class LocalJobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(LocalJobRunner.class);

    /** How a local run ended. */
    public enum Outcome {
        FINISHED,
        STOPPED_WITH_SAVEPOINT
    }

    /** The end of a local run. */
    public static final class Result {
        public final Outcome outcome;
        @Nullable public final String savepointPath;
        public final Duration elapsed;

        Result(Outcome outcome, @Nullable String savepointPath, Duration elapsed) {
            this.outcome = outcome;
            this.savepointPath = savepointPath;
            this.elapsed = elapsed;
        }
    }

    private final CheckedPlan checked;
    private final MigrationPlan plan;
    private final List<String> namespaces;
    private final PrintStream out;

    public LocalJobRunner(CheckedPlan checked, PrintStream out) {
        this.checked = checked;
        this.plan = checked.plan();
        this.namespaces = checked.namespaces();
        this.out = out;
    }

    /**
     * The Flink configuration of the local cluster: the job's settings plus web UI port and slots.
     */
    public Configuration localConfiguration(@Nullable String fromSavepoint, int webUiPort) {
        Configuration conf = MigrationJob.flinkConfiguration(plan);
        conf.set(RestOptions.PORT, webUiPort);
        conf.set(RestOptions.BIND_ADDRESS, "localhost");
        conf.set(RestOptions.ADDRESS, "localhost");
        int parallelism = Math.max(plan.snapshot().readers(), plan.sink().writers());
        conf.setString(CoreOptions.DEFAULT_PARALLELISM.key(), String.valueOf(parallelism));
        conf.setString("restart-strategy.type", "fixed-delay");
        conf.setString("restart-strategy.fixed-delay.attempts", "3");
        conf.setString("restart-strategy.fixed-delay.delay", "3 s");
        conf.addAll(plan.runtime().flinkOptions());
        if (fromSavepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, fromSavepoint);
        }
        return conf;
    }

    /**
     * Runs the job until it finishes or is stopped by a signal.
     *
     * @param resumeCommand given the savepoint path, the command line that resumes from it
     */
    public Result run(
            @Nullable String fromSavepoint, int webUiPort, Function<String, String> resumeCommand)
            throws Exception {
        Configuration conf = localConfiguration(fromSavepoint, webUiPort);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        MigrationJob.build(env, checked);

        long start = System.nanoTime();
        JobClient client;
        try {
            client = env.executeAsync(plan.jobName());
        } catch (Exception e) {
            // The cause is one line; the trace (Flink's JobMaster start-up) is for debugging only.
            LOG.debug("The job did not start", e);
            throw new JobFailedException("the job did not start: " + rootMessage(e), e);
        }
        out.printf(
                "Job %s started%s. Flink web UI: http://localhost:%d/#/job/running/%s%n",
                client.getJobID(),
                fromSavepoint == null ? "" : " from savepoint " + fromSavepoint,
                webUiPort,
                client.getJobID());
        out.println("Press Ctrl-C to stop with a savepoint; the job can be resumed from it later.");

        AtomicReference<CompletableFuture<String>> savepoint = new AtomicReference<>();
        AtomicBoolean stopping = new AtomicBoolean();
        SignalHandler handler =
                signal -> {
                    if (!stopping.compareAndSet(false, true)) {
                        out.println("Already stopping with a savepoint; please wait.");
                        return;
                    }
                    out.println("Stopping with a savepoint (signal " + signal.getName() + ")...");
                    CompletableFuture<String> attempt = new CompletableFuture<>();
                    savepoint.set(attempt);
                    attempt.whenComplete(
                            (path, error) -> {
                                if (error != null) {
                                    out.println(
                                            "Stop with savepoint failed ("
                                                    + rootMessage(error)
                                                    + "); the job keeps running. Press Ctrl-C to try again.");
                                    stopping.set(false);
                                }
                            });
                    stopWithSavepoint(client, STOP_ATTEMPTS, attempt);
                };
        Signal.handle(new Signal("INT"), handler);
        Signal.handle(new Signal("TERM"), handler);

        try {
            client.getJobExecutionResult().get();
        } catch (ExecutionException e) {
            if (!stopping.get()) {
                throw new JobFailedException(
                        rootMessage(e),
                        e,
                        resumePoint(client.getJobID().toString(), fromSavepoint));
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (stopping.get()) {
            String path;
            try {
                path = savepoint.get().get();
            } catch (ExecutionException e) {
                throw new JobFailedException("Stop with savepoint failed: " + rootMessage(e), e);
            }
            recordSavepoint(path);
            out.println();
            out.println("Stopped with a savepoint at " + path);
            out.println("Resume with:");
            out.println("  " + resumeCommand.apply(path));
            return new Result(Outcome.STOPPED_WITH_SAVEPOINT, path, elapsed);
        }
        return new Result(Outcome.FINISHED, null, elapsed);
    }

    /**
     * The target's owner records say where this migration continues from (shown to a refused second
     * job).
     */
    private void recordSavepoint(String path) {
        try {
            MigrationJob.ownership(plan)
                    .recordSavepoint(plan.jobName(), plan.target().namespaces(namespaces), path);
        } catch (RuntimeException e) {
            LOG.warn(
                    "Could not record the savepoint in the target's owner records: {}",
                    e.toString());
        }
    }

    /**
     * A savepoint is declined while a task is just finishing (the end of the snapshot): try again.
     */
    private static final int STOP_ATTEMPTS = 5;

    private void stopWithSavepoint(
            JobClient client, int attemptsLeft, CompletableFuture<String> savepoint) {
        client.stopWithSavepoint(
                        false, plan.runtime().savepointDir(), SavepointFormatType.CANONICAL)
                .whenComplete(
                        (path, error) -> {
                            if (error == null) {
                                savepoint.complete(path);
                            } else if (attemptsLeft > 1) {
                                out.println(
                                        "Savepoint not taken ("
                                                + rootMessage(error)
                                                + "); trying again");
                                try {
                                    Thread.sleep(1000);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                stopWithSavepoint(client, attemptsLeft - 1, savepoint);
                            } else {
                                savepoint.completeExceptionally(error);
                            }
                        });
    }

    static String rootMessage(Throwable e) {
        Throwable root = ExceptionUtils.stripExecutionException(e);
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // Our own failures are written for the user; the class name would only be noise.
        return root instanceof io.mongoresume.connectors.common.UnrecoverableException
                ? root.getMessage()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /**
     * Where a failed job resumes from once its cause is fixed: its newest complete retained
     * checkpoint, else the savepoint it started from; null for a fresh start that failed before its
     * first checkpoint.
     */
    @Nullable
    private String resumePoint(String jobId, @Nullable String fromSavepoint) {
        java.util.Optional<java.nio.file.Path> dir =
                io.mongoresume.job.restore.LocalStatePath.of(plan.runtime().checkpointDir());
        if (dir.isPresent()) {
            java.util.Optional<io.mongoresume.job.restore.RestorePoint> newest =
                    io.mongoresume.job.restore.RestorePoints.newestIn(dir.get().resolve(jobId));
            if (newest.isPresent()) {
                return newest.get().directory().toString();
            }
        }
        return fromSavepoint;
    }

    /**
     * The job failed; the message is the root cause, already masked by the component that raised
     * it.
     */
    public static final class JobFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        @Nullable private final String resumePoint;

        JobFailedException(String message, Throwable cause) {
            this(message, cause, null);
        }

        JobFailedException(String message, Throwable cause, @Nullable String resumePoint) {
            super(message, cause);
            this.resumePoint = resumePoint;
        }

        /**
         * The newest complete checkpoint (or the savepoint it started from) to resume from, or
         * null.
         */
        @Nullable
        public String resumePoint() {
            return resumePoint;
        }
    }
}
