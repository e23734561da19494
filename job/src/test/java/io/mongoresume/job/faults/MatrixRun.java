package io.mongoresume.job.faults;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.executiongraph.ErrorInfo;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.util.ExceptionUtils;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import io.mongoresume.connectors.testutils.DelayingProxy;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.demo.WorkloadGenerator;
import io.mongoresume.job.demo.WorkloadStats;
import io.mongoresume.job.testutils.CollectionDiff;
import io.mongoresume.job.testutils.TestJobs;

import javax.annotation.Nullable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One job of the fault matrix: its databases, options and workload, the phases it goes through,
 * each recognised by the job's state rather than by a clock, and the comparison at its end.
 *
 * <p>The snapshot reads through a {@link DelayingProxy} in front of the source with one reader and
 * small cursor batches, slow until the mid-snapshot fault is over, then fast, so that every phase
 * lasts long enough to be met without large data. The workload (full+incremental only) writes to
 * the source directly.
 *
 * <p>The job's checkpoint interval is long, and the run triggers a checkpoint every {@value
 * #CHECKPOINT_EVERY_MILLIS} ms itself from the mid-snapshot phase on: "before the first completed
 * checkpoint" then lasts as long as the test needs it to (Flink would draw the first periodic
 * trigger anywhere between the minimum pause and the interval), and from then on the job is
 * checkpointed as if periodically.
 */
final class MatrixRun implements AutoCloseable {

    /** Where in a job's life a fault is injected; each is recognised by the job's state. */
    enum Phase {
        /** Documents at the target and {@code numberOfCompletedCheckpoints} still 0. */
        BEFORE_FIRST_CHECKPOINT("before the first completed checkpoint"),
        /**
         * A checkpoint completed, a third of the documents at the target, the snapshot still
         * running.
         */
        MID_SNAPSHOT("mid-snapshot"),
        /**
         * The moment the enumerator's {@code collectionsFinished} reaches the number of
         * collections.
         */
        END_OF_SNAPSHOT("at the end of the snapshot"),
        /** The snapshot finished, a checkpoint completed after it, the workload running. */
        MID_CDC("mid-CDC");

        final String description;

        Phase(String description) {
            this.description = description;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /** The sync types of the matrix; {@code full} has no change streams and so no mid-CDC phase. */
    enum Mode {
        FULL("full"),
        FULL_INCREMENTAL("full+incremental");

        final String syncType;

        Mode(String syncType) {
            this.syncType = syncType;
        }

        boolean hasChangeStreams() {
            return this == FULL_INCREMENTAL;
        }

        List<Phase> phases() {
            return hasChangeStreams()
                    ? List.of(Phase.values())
                    : List.of(
                            Phase.BEFORE_FIRST_CHECKPOINT,
                            Phase.MID_SNAPSHOT,
                            Phase.END_OF_SNAPSHOT);
        }

        @Override
        public String toString() {
            return syncType;
        }
    }

    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(90);
    static final long CHECKPOINT_EVERY_MILLIS = 1_000;

    private final String name;
    private final ClusterClient<?> client;
    private final MiniCluster miniCluster;
    private final InMemoryReporter reporter;
    private final Mode mode;
    private final MongoDatabase source;
    private final MongoDatabase target;
    private final List<String> collections;
    private final long sourceDocuments;
    @Nullable private final DelayingProxy sourceProxy;
    private final long fastDelayMillis;
    @Nullable private final WorkloadGenerator workload;
    private final MigrationConfig config;
    private final JobID job;
    private final long startNanos = System.nanoTime();
    @Nullable private Thread checkpointer;
    private volatile boolean closed;

    private MatrixRun(Builder b) throws Exception {
        this.name = b.name;
        this.client = b.client;
        this.miniCluster = b.miniCluster;
        this.reporter = b.reporter;
        this.mode = b.mode;
        this.source = b.sourceClient.getDatabase(b.sourceDb);
        this.target = b.targetClient.getDatabase(b.targetDb);
        this.collections = List.copyOf(b.collections);
        long documents = 0;
        for (String collection : collections) {
            documents += source.getCollection(collection).countDocuments();
        }
        this.sourceDocuments = documents;
        this.fastDelayMillis = b.fastDelayMillis;
        this.sourceProxy = b.slowDelayMillis > 0 ? DelayingProxy.inFrontOf(b.sourceUri) : null;
        if (sourceProxy != null) {
            sourceProxy.setReplyDelayMillis(b.slowDelayMillis);
        }
        String jobSourceUri = sourceProxy != null ? sourceProxy.uri() : b.sourceUri;
        Map<String, String> raw =
                TestJobs.options(jobSourceUri, b.sourceDb, b.targetUri, b.targetDb, b.stateDir);
        raw.put("sync.type", mode.syncType);
        raw.put("snapshot.readers", "1");
        raw.put("snapshot.partition.strategy", "count");
        raw.put("snapshot.partition.size", "150");
        raw.put("snapshot.fetch-size", "10");
        raw.put("target.writers", "2");
        raw.put("target.batch-size", "50");
        raw.put("target.batch-max-wait-ms", "100");
        raw.put("target.timeout", "1 s");
        raw.put("target.max-retries", "1");
        raw.put("target.retry-backoff-ms", "200");
        // No periodic checkpoint: the test triggers them (see startCheckpoints). Flink draws the
        // first periodic
        // trigger between the minimum pause and the interval; a pause as long as the interval keeps
        // it 10 min
        // away (manual triggers do not wait for the pause).
        raw.put("checkpoint.interval", "10 min");
        raw.put("flink.execution.checkpointing.min-pause", "10 min");
        raw.put("flink.restart-strategy.type", "fixed-delay");
        raw.put("flink.restart-strategy.fixed-delay.attempts", "60");
        raw.put("flink.restart-strategy.fixed-delay.delay", "200 ms");
        // The embedded server has no cluster time: the change streams start at its clock minus this
        // margin. The
        // default (5 s) would replay the seed, written just before, through the change streams, and
        // the merge
        // would then drop the snapshot's rows of it: the snapshot phases would not carry the data.
        raw.put("cdc.start-margin", "0 s");
        raw.putAll(b.options);
        this.config = MigrationConfig.fromRaw(raw);
        // The start position has a resolution of one second: the seed's last second is over before
        // it is taken.
        Thread.sleep(1_000 - System.currentTimeMillis() % 1_000 + 50);
        if (b.workloadOpsPerSecond > 0) {
            workload =
                    WorkloadGenerator.builder()
                            .uri(b.sourceUri)
                            .database(b.sourceDb)
                            .collections(
                                    b.workloadCollections != null
                                            ? b.workloadCollections
                                            : collections)
                            .opsPerSecond(b.workloadOpsPerSecond)
                            .seed(name.hashCode())
                            .build();
            workload.start();
        } else {
            workload = null;
        }
        this.job = TestJobs.submit(client, config, null);
        note(
                "submitted "
                        + mode
                        + " job "
                        + job
                        + " ("
                        + sourceDocuments
                        + " documents in "
                        + collections
                        + ")");
    }

    static Builder builder(String name, Mode mode) {
        return new Builder(name, mode);
    }

    JobID job() {
        return job;
    }

    MongoDatabase source() {
        return source;
    }

    MongoDatabase target() {
        return target;
    }

    long sourceDocuments() {
        return sourceDocuments;
    }

    long checkpoints() {
        return TestJobs.sum(reporter, job, "numberOfCompletedCheckpoints");
    }

    long restarts() {
        return TestJobs.sum(reporter, job, "numRestarts");
    }

    long collectionsFinished() {
        return TestJobs.sum(reporter, job, "collectionsFinished");
    }

    boolean snapshotFinished() {
        return collectionsFinished() == collections.size();
    }

    /** Documents in the target collections (estimated), or -1 while the target does not answer. */
    long targetDocuments() {
        try {
            long count = 0;
            for (String collection : collections) {
                count += target.getCollection(collection).estimatedDocumentCount();
            }
            return count;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    JobStatus status() throws Exception {
        return client.getJobStatus(job).get();
    }

    /** The job's state in one line, for the log and for failure messages. */
    String state() {
        return "targetDocuments=" + targetDocuments() + "/" + sourceDocuments + " " + jobState();
    }

    /** The job's state without asking the target (which may be down or frozen). */
    String jobState() {
        String status;
        try {
            status = status().toString();
        } catch (Exception e) {
            status = "?";
        }
        return String.format(
                "status=%s checkpoints=%d restarts=%d collectionsFinished=%d/%d%s",
                status,
                checkpoints(),
                restarts(),
                collectionsFinished(),
                collections.size(),
                workload != null ? " workloadOps=" + workload.stats().totalOperations() : "");
    }

    void note(String message) {
        System.out.printf(
                "[matrix %s +%.1f s] %s%n", name, (System.nanoTime() - startNanos) / 1e9, message);
    }

    /**
     * Waits until the job is in {@code phase}; fails when the job went past it without being seen
     * in it.
     */
    void awaitPhase(Phase phase) throws Exception {
        if (phase != Phase.BEFORE_FIRST_CHECKPOINT) {
            startCheckpoints();
        }
        switch (phase) {
            case BEFORE_FIRST_CHECKPOINT:
                awaitState(
                        phase,
                        20,
                        () -> {
                            if (checkpoints() > 0) {
                                throw new AssertionError(
                                        "A checkpoint completed before the first document reached the target, so the"
                                                + " job was never seen before its first completed checkpoint: "
                                                + state());
                            }
                            return targetDocuments() > 0;
                        });
                break;
            case MID_SNAPSHOT:
                awaitState(
                        phase,
                        20,
                        () -> {
                            if (snapshotFinished()) {
                                throw new AssertionError(
                                        "The snapshot finished before the job was seen mid-snapshot: "
                                                + state());
                            }
                            return checkpoints() > 0 && targetDocuments() >= sourceDocuments / 3;
                        });
                break;
            case END_OF_SNAPSHOT:
                awaitState(phase, 2, this::snapshotFinished);
                break;
            case MID_CDC:
                awaitState(phase, 20, this::snapshotFinished);
                long checkpointsAtTheEnd = checkpoints();
                long operations = workload != null ? workload.stats().totalOperations() : 0;
                awaitState(
                        phase,
                        20,
                        () ->
                                snapshotFinished()
                                        && checkpoints() > checkpointsAtTheEnd
                                        && (workload == null
                                                || workload.stats().totalOperations()
                                                        >= operations + 50));
                break;
            default:
                throw new IllegalArgumentException(phase.name());
        }
    }

    /** Sets the source proxy's reply delay: how fast the snapshot reads from now on. */
    void snapshotPace(long delayMillis) {
        if (sourceProxy != null) {
            sourceProxy.setReplyDelayMillis(delayMillis);
        }
    }

    /** Waits until the job has ended and returns how. */
    JobStatus awaitEnd(Duration timeout) throws Exception {
        return TestJobs.awaitStatus(client, job, timeout);
    }

    /**
     * From now on, triggers a checkpoint every {@value #CHECKPOINT_EVERY_MILLIS} ms (after the
     * previous one completed or failed), as the periodic scheduler would.
     */
    void startCheckpoints() {
        if (checkpointer != null) {
            return;
        }
        checkpointer =
                new Thread(
                        () -> {
                            while (!closed) {
                                try {
                                    client.triggerCheckpoint(job, CheckpointType.DEFAULT)
                                            .get(60, TimeUnit.SECONDS);
                                } catch (Exception e) {
                                    // Declined while tasks restart, or failed with them: the next
                                    // one.
                                }
                                try {
                                    Thread.sleep(CHECKPOINT_EVERY_MILLIS);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "matrix-checkpoints-" + name);
        checkpointer.setDaemon(true);
        checkpointer.start();
        note("checkpoints every " + CHECKPOINT_EVERY_MILLIS + " ms from now on");
    }

    /**
     * Injects {@code fault} right now (the job was just seen in {@code phase}), ends it after its
     * hold, and waits until a task failed because of it and every task runs again.
     */
    void inject(Phase phase, Fault fault) throws Exception {
        long restartsBefore = restarts();
        if (phase == Phase.BEFORE_FIRST_CHECKPOINT) {
            assertThat(checkpoints()).as("checkpoints completed when the fault began").isZero();
        }
        // At once; then the state, without asking the target the fault may have taken away.
        fault.begin();
        note(phase + ": injected " + fault + " (" + jobState() + ")");
        if (phase == Phase.MID_SNAPSHOT) {
            assertThat(snapshotFinished())
                    .as("the snapshot finished when the fault began")
                    .isFalse();
        }
        Thread.sleep(fault.hold().toMillis());
        fault.end();
        awaitRecovered(phase, restartsBefore);
        if (phase == Phase.MID_SNAPSHOT && sourceProxy != null) {
            // The slow part of the snapshot is over: on to its end.
            sourceProxy.setReplyDelayMillis(fastDelayMillis);
        }
    }

    /**
     * A task failed after the fault began, the job restarted, and all its tasks run (or have
     * finished).
     */
    private void awaitRecovered(Phase phase, long restartsBefore) throws Exception {
        awaitState(phase, 50, () -> restarts() > restartsBefore);
        awaitState(phase, 50, this::allTasksRunning);
        note(phase + ": recovered (" + state() + "); last task failure: " + lastFailure());
    }

    /** The first line of the job's latest task failure and of its root cause. */
    private String lastFailure() throws Exception {
        ErrorInfo failure = miniCluster.getArchivedExecutionGraph(job).get().getFailureInfo();
        if (failure == null) {
            return "none";
        }
        String trace = failure.getExceptionAsString();
        String first = trace.lines().findFirst().orElse("");
        String root = "";
        for (String line : (Iterable<String>) trace.lines()::iterator) {
            if (line.startsWith("Caused by: ")) {
                root = line;
            }
        }
        return first + (root.isEmpty() ? "" : " ... " + root);
    }

    private boolean allTasksRunning() throws Exception {
        AccessExecutionGraph graph = miniCluster.getArchivedExecutionGraph(job).get();
        if (graph.getState() == JobStatus.FINISHED) {
            return true;
        }
        if (graph.getState() != JobStatus.RUNNING) {
            return false;
        }
        for (AccessExecutionVertex vertex : graph.getAllExecutionVertices()) {
            ExecutionState state = vertex.getExecutionState();
            if (state != ExecutionState.RUNNING && state != ExecutionState.FINISHED) {
                return false;
            }
        }
        return true;
    }

    /**
     * Polls {@code condition} every {@code pollMillis}; fails at once when the job ended (FAILED,
     * CANCELED) or finished where it should still be running, with its failure cause.
     */
    private void awaitState(Phase phase, long pollMillis, Callable<Boolean> condition)
            throws Exception {
        long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
        while (true) {
            if (condition.call()) {
                return;
            }
            JobStatus status = status();
            if (status.isGloballyTerminalState()) {
                throw new AssertionError(
                        "The job ended "
                                + status
                                + " while waiting for "
                                + phase
                                + ": "
                                + state()
                                + "\n"
                                + failure());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "Timed out after "
                                + PHASE_TIMEOUT
                                + " waiting for "
                                + phase
                                + ": "
                                + state());
            }
            Thread.sleep(pollMillis);
        }
    }

    /** The failure cause of the ended job with its stack trace, or a note that there is none. */
    String failure() throws Exception {
        if (!status().isGloballyTerminalState()) {
            return "(the job has not ended)";
        }
        Throwable cause = TestJobs.failureCause(client, job);
        return cause == null ? "(no failure cause)" : ExceptionUtils.stringifyException(cause);
    }

    /**
     * Every collection, source against target, document by document (content when replaces reorder
     * fields).
     */
    List<CollectionDiff> diffs() {
        List<CollectionDiff> diffs = new ArrayList<>();
        for (String collection : collections) {
            diffs.add(CollectionDiff.ofReplacedDocuments(source, target, collection));
        }
        return diffs;
    }

    /** {@code full}: the job FINISHED and the target equals the source, document by document. */
    void assertFinishedEqual(Duration timeout) throws Exception {
        JobStatus status = TestJobs.awaitStatus(client, job, timeout);
        assertThat(status)
                .as("the job's end (%s)\n%s", state(), failure())
                .isEqualTo(JobStatus.FINISHED);
        List<CollectionDiff> diffs = diffs();
        note("FINISHED (" + state() + "); compared " + describe(diffs));
        assertEqual(diffs);
    }

    /**
     * {@code full+incremental}: once the workload stopped, the job catches up (it keeps running,
     * never fails) and the target becomes equal to the source, document by document. A job that
     * stays running with a difference fails this after {@code timeout}.
     */
    void assertCaughtUpEqual(Duration timeout) throws Exception {
        WorkloadStats stats = workload != null ? workload.stop() : null;
        if (stats != null) {
            note("workload stopped: " + stats.totalOperations() + " operations " + stats.counts());
            assertThat(stats.totalOperations()).as("the workload ran").isGreaterThan(100);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<CollectionDiff> diffs;
        while (true) {
            JobStatus status = status();
            assertThat(status.isGloballyTerminalState())
                    .as("the job ended %s while catching up (%s)\n%s", status, state(), failure())
                    .isFalse();
            diffs = diffs();
            if (diffs.stream().allMatch(CollectionDiff::isEqual) || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(500);
        }
        note("caught up (" + state() + "); compared " + describe(diffs));
        assertEqual(diffs);
        assertThat(status()).as("still running after catching up").isEqualTo(JobStatus.RUNNING);
    }

    private static String describe(List<CollectionDiff> diffs) {
        long documents = diffs.stream().mapToLong(d -> d.sourceCount).sum();
        return documents + " documents in " + diffs.size() + " collections";
    }

    private static void assertEqual(List<CollectionDiff> diffs) {
        for (CollectionDiff diff : diffs) {
            assertThat(diff.isEqual()).as(diff.toString()).isTrue();
        }
    }

    @Override
    public void close() throws Exception {
        closed = true;
        if (checkpointer != null) {
            checkpointer.interrupt();
        }
        if (workload != null && workload.isRunning()) {
            workload.stop();
        }
        if (!status().isGloballyTerminalState()) {
            TestJobs.cancel(client, job);
        }
        note("done after " + (System.nanoTime() - startNanos) / 1_000_000 + " ms");
        if (sourceProxy != null) {
            sourceProxy.close();
        }
    }

    /** The servers, databases, collections and option overrides of one run. */
    static final class Builder {
        private final String name;
        private final Mode mode;
        private ClusterClient<?> client;
        private MiniCluster miniCluster;
        private InMemoryReporter reporter;
        private String sourceUri;
        private MongoClient sourceClient;
        private String sourceDb;
        private String targetUri;
        private MongoClient targetClient;
        private String targetDb;
        private List<String> collections;
        private Path stateDir;
        private long slowDelayMillis;
        private long fastDelayMillis;
        private double workloadOpsPerSecond;
        @Nullable private List<String> workloadCollections;
        private final Map<String, String> options = new LinkedHashMap<>();

        private Builder(String name, Mode mode) {
            this.name = name;
            this.mode = mode;
        }

        Builder cluster(
                ClusterClient<?> client, MiniCluster miniCluster, InMemoryReporter reporter) {
            this.client = client;
            this.miniCluster = miniCluster;
            this.reporter = reporter;
            return this;
        }

        Builder source(String uri, MongoClient client, String database) {
            this.sourceUri = uri;
            this.sourceClient = client;
            this.sourceDb = database;
            return this;
        }

        Builder target(String uri, MongoClient client, String database) {
            this.targetUri = uri;
            this.targetClient = client;
            this.targetDb = database;
            return this;
        }

        /** The source database, to seed before the run starts. */
        MongoDatabase sourceDatabase() {
            return sourceClient.getDatabase(sourceDb);
        }

        String targetDatabase() {
            return targetDb;
        }

        Builder collections(List<String> collections) {
            this.collections = collections;
            return this;
        }

        Builder stateDir(Path stateDir) {
            this.stateDir = stateDir;
            return this;
        }

        /** The source proxy's reply delay until the mid-snapshot fault is over, and after it. */
        Builder snapshotPace(long slowDelayMillis, long fastDelayMillis) {
            this.slowDelayMillis = slowDelayMillis;
            this.fastDelayMillis = fastDelayMillis;
            return this;
        }

        /** A workload over all the run's collections (0: none). */
        Builder workload(double opsPerSecond) {
            this.workloadOpsPerSecond = opsPerSecond;
            return this;
        }

        /** A workload over some of the run's collections only. */
        Builder workload(double opsPerSecond, List<String> collections) {
            this.workloadOpsPerSecond = opsPerSecond;
            this.workloadCollections = collections;
            return this;
        }

        Builder option(String key, String value) {
            options.put(key, value);
            return this;
        }

        MatrixRun start() throws Exception {
            return new MatrixRun(this);
        }
    }
}
