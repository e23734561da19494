package io.mongoresume.job.testutils;

import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.mongoresume.connectors.testutils.MiniClusters;
import io.mongoresume.connectors.testutils.MongoTestServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a migration ITCase runs against, in one static {@code @RegisterExtension} field: a
 * MiniCluster whose metrics are kept (it still injects {@code @InjectClusterClient} and
 * {@code @InjectMiniCluster} parameters), a {@link ServerPair}, and a fresh {@link Migration} for
 * every test that asks for one as a parameter or through {@link #migration}; their state
 * directories are deleted after the test.
 */
public final class MigrationCluster
        implements BeforeAllCallback,
                AfterAllCallback,
                BeforeEachCallback,
                AfterEachCallback,
                ParameterResolver {

    private final InMemoryReporter reporter = InMemoryReporter.createWithRetainedMetrics();
    private final MiniClusterExtension miniCluster;
    private final ServerPair servers = new ServerPair();
    private final List<Path> stateDirs = new ArrayList<>();

    private MigrationCluster(int taskManagers, int slotsPerTaskManager) {
        miniCluster = MiniClusters.withMetrics(reporter, taskManagers, slotsPerTaskManager);
    }

    public static MigrationCluster of(int taskManagers, int slotsPerTaskManager) {
        return new MigrationCluster(taskManagers, slotsPerTaskManager);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        miniCluster.beforeAll(context);
        servers.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        servers.afterAll(context);
        miniCluster.afterAll(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        miniCluster.beforeEach(context);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        miniCluster.afterEach(context);
        stateDirs.forEach(MigrationCluster::deleteQuietly);
        stateDirs.clear();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Migration.class
                || miniCluster.supportsParameter(parameter, context);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == Migration.class) {
            return migration(databasePrefix(context.getRequiredTestClass()));
        }
        return miniCluster.resolveParameter(parameter, context);
    }

    /**
     * A fresh source database named after {@code name}, its {@code _copy} as the target, a new
     * state dir.
     */
    public Migration migration(String name) {
        String sourceDb = MongoTestServer.freshDatabaseName(name);
        return migration(sourceDb, sourceDb + "_copy");
    }

    /**
     * Between two given databases (a source seeded once for the class, say), with a new state dir.
     */
    public Migration migration(String sourceDb, String targetDb) {
        try {
            Path stateDir = Files.createTempDirectory("migration-state");
            stateDirs.add(stateDir);
            return new Migration(servers, sourceDb, targetDb, stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ServerPair servers() {
        return servers;
    }

    /** {@link TestJobs#sum} over this cluster's metrics. */
    public long sum(JobID job, String metricName) {
        return TestJobs.sum(reporter, job, metricName);
    }

    /** {@link TestJobs#byIdentifier} over this cluster's metrics. */
    public Map<String, Long> byIdentifier(JobID job, String metricName) {
        return TestJobs.byIdentifier(reporter, job, metricName);
    }

    /**
     * Waits until the snapshot of {@code collections} collections has finished (the enumerator's
     * count).
     */
    public void awaitSnapshotFinished(JobID job, int collections, Duration timeout)
            throws InterruptedException {
        TestJobs.await(
                "the snapshot to finish",
                timeout,
                () -> sum(job, "collectionsFinished") == collections);
    }

    /** "DiscoveredCollectionsITCase" becomes "discovered_collections". */
    private static String databasePrefix(Class<?> testClass) {
        String name = testClass.getSimpleName().replaceAll("ITCase$", "");
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Best effort, as a job that outlived its test may still write there.
        }
    }
}
