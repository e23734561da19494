package io.mongoresume.job.deploy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.mongoresume.job.demo.SampleDataSeeder;
import io.mongoresume.job.demo.SeedPlan;
import io.mongoresume.job.demo.SeedReport;
import io.mongoresume.job.demo.WorkloadGenerator;
import io.mongoresume.job.server.EmbeddedMongoServer;
import io.mongoresume.job.testutils.CollectionDiff;
import io.mongoresume.job.testutils.TestData;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deploy scripts end to end on a real Flink standalone session cluster: {@code
 * cluster-start.sh} starts a JobManager and a TaskManager JVM from Maven-resolved jars and {@code
 * flink-conf/}, {@code submit.sh} uploads {@code job/target/mongo-resume-flink.jar} over REST,
 * {@code stop.sh} stops the job with a savepoint while the snapshot is still running, {@code
 * resume.sh} resumes it from that savepoint, and the target ends bit-exact equal to the source
 * (with {@code full+incremental}: while a workload writes to the source, and after the resumed job
 * has caught up). The TaskManager reaches the two embedded MongoDB-protocol servers of this JVM
 * over loopback. The Prometheus reporter of the cluster must list the job's per-collection metrics.
 * The cluster is stopped by PID afterwards, whatever happened.
 */
class LocalClusterITCase {

    private static final SeedPlan PLAN = SeedPlan.of(SeedPlan.DEFAULT_SEED, 3_000, 20_000, 3_000);
    private static final String SOURCE_DB = "shop";
    private static final String TARGET_DB = "shop_copy";
    private static final List<String> COLLECTIONS = TestData.SAMPLE_COLLECTIONS;

    /**
     * {@code full+incremental}: a workload writes to the source across the savepoint and the run
     * ends when the target has caught up. {@code -Dcluster.it.sync-type=full} runs the snapshot
     * alone to its end.
     */
    private static final String SYNC_TYPE =
            System.getProperty("cluster.it.sync-type", "full+incremental");

    private static final boolean INCREMENTAL = SYNC_TYPE.contains("incremental");

    /** The savepoint is taken once this share of the source has arrived, well before the end. */
    private static final double STOP_AT = 0.10;

    private static final Pattern PROMETHEUS_NAME =
            Pattern.compile("^(flink_[A-Za-z0-9_]+)\\{", Pattern.MULTILINE);

    @Test
    void stopWithSavepointAndResumeOnStandaloneCluster() throws Exception {
        long started = System.nanoTime();
        Path repo = DeployScripts.repositoryRoot();
        Path jar = repo.resolve("job/target/mongo-resume-flink.jar");
        assertThat(jar).as("built by mvn package before failsafe runs").isRegularFile();
        Path workDir = Files.createTempDirectory("mongo-resume-cluster-it-");
        DeployScripts deploy = new DeployScripts(repo, workDir, DeployScripts.freePort());
        Thread killOnExit = new Thread(deploy::killLeftovers, "kill-local-cluster");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        boolean passed = false;
        try (EmbeddedMongoServer sourceServer = EmbeddedMongoServer.startInMemory();
                EmbeddedMongoServer targetServer = EmbeddedMongoServer.startInMemory();
                MongoClient sourceClient = MongoClients.create(sourceServer.uri());
                MongoClient targetClient = MongoClients.create(targetServer.uri())) {
            MongoDatabase source = sourceClient.getDatabase(SOURCE_DB);
            MongoDatabase target = targetClient.getDatabase(TARGET_DB);
            WorkloadGenerator workload = null;
            try {
                deploy.run(
                        "cluster-start.sh",
                        Duration.ofMinutes(4),
                        "--rest-port",
                        deploy.rest().substring(deploy.rest().lastIndexOf(':') + 1),
                        "--rpc-port",
                        String.valueOf(DeployScripts.freePort()));
                System.out.printf("Cluster up after %.1f s%n", seconds(started));

                SeedReport seeded = SampleDataSeeder.seed(source, PLAN);
                long seededTotal = seeded.totalDocuments();
                System.out.println("Seeded " + seeded + "; sync.type=" + SYNC_TYPE);

                Path jobFile = writeJobFile(workDir, sourceServer.uri(), targetServer.uri());
                String jobId =
                        deploy.run(
                                "submit.sh", Duration.ofMinutes(2), "--config", jobFile.toString());
                assertThat(jobId).matches("[0-9a-f]{32}");
                assertThat(deploy.run("status.sh", Duration.ofSeconds(30))).contains(jobId);
                if (INCREMENTAL) {
                    // The source keeps changing from before the savepoint until after the resume.
                    workload =
                            WorkloadGenerator.builder()
                                    .uri(sourceServer.uri())
                                    .database(SOURCE_DB)
                                    .collections(COLLECTIONS)
                                    .opsPerSecond(200)
                                    .seed(7)
                                    .build();
                    workload.start();
                }

                // Mid-snapshot: stop once a part of the source has been copied.
                waitFor(
                        Duration.ofMinutes(2),
                        () -> count(target) >= seededTotal * STOP_AT,
                        () ->
                                "target never reached "
                                        + STOP_AT
                                        + " of "
                                        + seededTotal
                                        + ": "
                                        + count(target));
                Map<String, String> metrics = prometheusMetrics(jobId);
                assertThat(metrics)
                        .containsKey(
                                "flink_taskmanager_job_task_operator_collection_documentsWritten")
                        .containsKey(
                                "flink_taskmanager_job_task_operator_collection_documentsRead");
                if (INCREMENTAL) {
                    assertThat(metrics)
                            .containsKey("flink_taskmanager_job_task_operator_collection_lagMs");
                }
                assertThat(
                                metrics.get(
                                        "flink_taskmanager_job_task_operator_collection_documentsWritten"))
                        .as("addGroup(key, value) is a label; its value keeps the dot")
                        .containsPattern("collection=\"[a-z_]+\\.[a-z_]+\"");
                String savepoint = deploy.run("stop.sh", Duration.ofMinutes(2), "--job", jobId);
                long copiedAtStop = count(target);
                System.out.printf(
                        "Stopped with savepoint %s at %d/%d documents (%.1f s)%n",
                        savepoint, copiedAtStop, seededTotal, seconds(started));
                assertThat(savepoint).startsWith("file:").contains("savepoint-");
                assertThat(copiedAtStop)
                        .as("the savepoint was taken mid-snapshot")
                        .isLessThan(seededTotal);
                assertThat(Files.readString(workDir.resolve("last-savepoint")).strip())
                        .isEqualTo(savepoint);
                assertThat(deploy.jobState(jobId)).isEqualTo("FINISHED");

                String resumedId =
                        deploy.run(
                                "resume.sh",
                                Duration.ofMinutes(2),
                                "--config",
                                jobFile.toString(),
                                "--savepoint",
                                "latest");
                assertThat(resumedId).matches("[0-9a-f]{32}").isNotEqualTo(jobId);
                String finalSavepoint = savepoint;
                if (INCREMENTAL) {
                    // Let it write a little longer, then stop the workload and wait until the
                    // target caught up.
                    Thread.sleep(3_000);
                    System.out.println("Workload: " + workload.stop());
                    waitFor(
                            Duration.ofMinutes(2),
                            Duration.ofSeconds(2),
                            () -> diffs(source, target).stream().allMatch(CollectionDiff::isEqual),
                            () -> "target did not catch up: " + diffs(source, target));
                    System.out.printf("Caught up after %.1f s%n", seconds(started));
                    finalSavepoint =
                            deploy.run("stop.sh", Duration.ofMinutes(2), "--job", resumedId);
                } else {
                    waitFor(
                            Duration.ofMinutes(3),
                            () -> isTerminal(deploy.jobState(resumedId)),
                            () -> "resumed job still " + deploy.jobState(resumedId));
                }
                assertThat(deploy.jobState(resumedId)).isEqualTo("FINISHED");
                String restoredFrom =
                        deploy.get("/jobs/" + resumedId + "/checkpoints")
                                .get("latest", Document.class)
                                .get("restored", Document.class)
                                .getString("external_path");
                assertThat(savepoint).endsWith(restoredFrom.replaceFirst("^file:", ""));

                String status = deploy.run("status.sh", Duration.ofSeconds(30));
                System.out.println("status.sh after the resumed run:\n" + status);
                assertThat(status)
                        .contains(resumedId)
                        .contains("FINISHED")
                        .contains(finalSavepoint);

                String javaStatus =
                        deploy.runAllowingJar(
                                "status.sh",
                                Duration.ofMinutes(1),
                                "--job",
                                resumedId,
                                "--config",
                                jobFile.toString());
                System.out.println("status.sh (mongo-resume.jar status):\n" + javaStatus);

                DeployScripts.Result verify =
                        deploy.runJar(
                                Duration.ofMinutes(2),
                                "verify",
                                "--config",
                                jobFile.toString(),
                                "--json");
                System.out.println(
                        "mongo-resume.jar verify --json (exit "
                                + verify.exitCode()
                                + "): "
                                + verify.output());
                assertVerifyAgrees(verify, source, target);

                List<CollectionDiff> diffs = diffs(source, target);
                diffs.forEach(System.out::println);
                assertThat(diffs)
                        .allSatisfy(
                                diff -> assertThat(diff.isEqual()).as(diff.toString()).isTrue());
                assertThat(count(target)).isEqualTo(count(source));

                System.out.println("Prometheus metrics of the job (one sample line each):");
                metrics.values().forEach(line -> System.out.println("  " + line));
                passed = true;
            } finally {
                if (workload != null && workload.isRunning()) {
                    workload.stop();
                }
                // The cluster goes first, while the servers its job talks to are still up.
                stopCluster(deploy);
            }
        } finally {
            deploy.killLeftovers();
            Runtime.getRuntime().removeShutdownHook(killOnExit);
            assertThat(deploy.anyAlive()).as("cluster processes after stop").isFalse();
            if (passed && !Boolean.getBoolean("cluster.it.keep-work-dir")) {
                deleteRecursively(workDir);
            } else if (passed) {
                System.out.println("Cluster work dir kept: " + workDir);
            } else {
                System.out.println(
                        "Cluster work dir kept: " + workDir + "\n" + deploy.logTails(60));
            }
            System.out.printf("LocalClusterITCase wall time: %.1f s%n", seconds(started));
        }
    }

    /**
     * {@code verify} must find nothing missing or extra, and exactly as many different documents
     * per collection as the bit-exact comparison: with CDC those are replaced documents whose field
     * order the embedded target server kept (MongoDB replaces the whole document), equal by
     * content, which {@link #diffs} checks. Without CDC, verify must report no difference at all.
     */
    private static void assertVerifyAgrees(
            DeployScripts.Result verify, MongoDatabase source, MongoDatabase target) {
        String json =
                verify.output()
                        .lines()
                        .filter(line -> line.startsWith("{"))
                        .reduce((first, second) -> second)
                        .orElseThrow(() -> new AssertionError("no JSON from verify"));
        Document report = Document.parse(json);
        if (!INCREMENTAL) {
            assertThat(verify.exitCode()).isZero();
            assertThat(report.getBoolean("ok")).isTrue();
        }
        for (Document collection : report.getList("collections", Document.class)) {
            String name = collection.getString("collection");
            CollectionDiff exact = CollectionDiff.of(source, target, name);
            assertThat(total(collection, "missing")).as(name + " missing").isZero();
            assertThat(total(collection, "extra")).as(name + " extra").isZero();
            assertThat(total(collection, "different"))
                    .as(name + " different, as the bit-exact comparison finds")
                    .isEqualTo(exact.different.size());
        }
    }

    private static long total(Document collection, String kind) {
        return ((Number) collection.get(kind, Document.class).get("total")).longValue();
    }

    private static void stopCluster(DeployScripts deploy) {
        try {
            if (deploy.anyAlive()) {
                deploy.run("cluster-stop.sh", Duration.ofMinutes(1));
            }
        } catch (AssertionError | RuntimeException e) {
            System.out.println("cluster-stop.sh failed, killing by PID: " + e);
        }
    }

    /**
     * Scrapes the reporter ports of flink-conf/config.yaml and returns the names of this job's
     * per-collection operator metrics, once the TaskManager exposes them. Other Flink JVMs on this
     * machine may hold ports of the range; the job id label picks ours.
     */
    private static Map<String, String> prometheusMetrics(String jobId) throws InterruptedException {
        Map<String, String> names = new TreeMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (int port = 9249; port <= 9260; port++) {
                String body;
                try {
                    body = DeployScripts.httpGet("http://localhost:" + port + "/metrics");
                } catch (RuntimeException notOurs) {
                    continue;
                }
                if (!body.contains("job_id=\"" + jobId + "\"")) {
                    continue;
                }
                for (String line : body.split("\n")) {
                    if (line.contains("collection=\"") && line.contains(jobId)) {
                        Matcher name = PROMETHEUS_NAME.matcher(line);
                        if (name.find()) {
                            names.putIfAbsent(name.group(1), line);
                        }
                    }
                }
            }
            if (names.keySet().stream().anyMatch(n -> n.endsWith("_documentsWritten"))
                    && (!INCREMENTAL
                            || names.keySet().stream().anyMatch(n -> n.endsWith("_lagMs")))) {
                return names;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(
                "no per-collection metric of job "
                        + jobId
                        + " on ports 9249-9260: "
                        + names.keySet());
    }

    private static Path writeJobFile(Path dir, String sourceUri, String targetUri)
            throws IOException {
        String yaml =
                String.join(
                        "\n",
                        "source:",
                        "  uri: " + sourceUri,
                        "  database: " + SOURCE_DB,
                        "target:",
                        "  uri: " + targetUri,
                        "  database: " + TARGET_DB,
                        "  existing-data: drop",
                        "  writers: 2",
                        "  batch-size: 500",
                        "sync:",
                        "  type: " + SYNC_TYPE,
                        "snapshot:",
                        "  partition:",
                        "    strategy: count",
                        "    size: 4000",
                        "  readers: 2",
                        "  batch-read-limit: 1000",
                        "  fetch-size: 200",
                        "checkpoint:",
                        "  interval: 2 s",
                        "  dir: " + dir.resolve("job-checkpoints").toUri(),
                        "savepoint:",
                        "  dir: " + dir.resolve("job-savepoints").toUri(),
                        "job:",
                        "  name: mongo-resume cluster ITCase",
                        "");
        Path file = dir.resolve("migration.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }

    /**
     * Bit-exact per document; after CDC replaces, field order is ignored only where the target
     * server is detected to keep the old field order on replace (the embedded server does, MongoDB
     * does not).
     */
    private static List<CollectionDiff> diffs(MongoDatabase source, MongoDatabase target) {
        List<CollectionDiff> diffs = new ArrayList<>();
        for (String collection : COLLECTIONS) {
            diffs.add(
                    INCREMENTAL
                            ? CollectionDiff.ofReplacedDocuments(source, target, collection)
                            : CollectionDiff.of(source, target, collection));
        }
        return diffs;
    }

    private static long count(MongoDatabase database) {
        long sum = 0;
        for (String collection : COLLECTIONS) {
            sum += database.getCollection(collection).countDocuments();
        }
        return sum;
    }

    private static boolean isTerminal(String state) {
        return Set.of("FINISHED", "FAILED", "CANCELED").contains(state);
    }

    private static void waitFor(
            Duration timeout, BooleanSupplier condition, Supplier<String> message)
            throws InterruptedException {
        waitFor(timeout, Duration.ofMillis(200), condition, message);
    }

    private static void waitFor(
            Duration timeout, Duration poll, BooleanSupplier condition, Supplier<String> message)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(message.get());
            }
            Thread.sleep(poll.toMillis());
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
