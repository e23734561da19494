package io.mongoresume.job.faults;

import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.job.demo.SampleDataSeeder;
import io.mongoresume.job.demo.SeedPlan;
import io.mongoresume.job.faults.MatrixRun.Mode;
import io.mongoresume.job.faults.MatrixRun.Phase;
import io.mongoresume.job.testutils.ServerPair;

/** The fault matrix (see the table below). */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FaultMatrixITCase {

    private static final SeedPlan PLAN = SeedPlan.of(11L, 300, 1500, 300);
    private static final List<String> SAMPLE_COLLECTIONS =
            List.of(
                    SampleDataSeeder.CUSTOMERS,
                    SampleDataSeeder.ORDERS,
                    SampleDataSeeder.EVENTS,
                    SampleDataSeeder.EMPTY_COLLECTION,
                    SampleDataSeeder.SINGLETON);

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    /** Two TaskManagers of one slot each: a job of two writers has tasks on both, so any kill hits it. */
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(2)
                            .setNumberSlotsPerTaskManager(1)
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .build());

    @RegisterExtension static final ServerPair SERVERS = new ServerPair();

    /** The MiniCluster keeps terminated TaskManagers in its list: the oldest live one has this index. */
    private static int oldestTaskManager;

    @TempDir Path stateDir;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void taskManagerKilledInEveryPhase(
            Mode mode, @InjectClusterClient ClusterClient<?> client, @InjectMiniCluster MiniCluster miniCluster)
            throws Exception {
        Fault kill =
                new Fault() {
                    @Override
                    public void begin() throws Exception {
                        miniCluster.terminateTaskManager(oldestTaskManager++).get();
                    }

                    @Override
                    public Duration hold() {
                        return Duration.ZERO;
                    }

                    @Override
                    public void end() throws Exception {
                        miniCluster.startTaskManager();
                    }

                    @Override
                    public String toString() {
                        return "a TaskManager kill";
                    }
                };
        try (MatrixRun run = sampleRun("kill", mode, client, miniCluster).start()) {
            for (Phase phase : mode.phases()) {
                run.awaitPhase(phase);
                run.inject(phase, kill);
            }
            finish(run, mode);
        }
    }

    /** A run over the sample collections between the class's servers, with a workload for full+incremental. */
    private MatrixRun.Builder sampleRun(
            String fault, Mode mode, ClusterClient<?> client, MiniCluster miniCluster) {
        String name = fault + "_" + (mode.hasChangeStreams() ? "fullinc" : "full");
        String sourceDb = MongoTestServer.freshDatabaseName(name);
        SampleDataSeeder.seed(SERVERS.sourceClient().getDatabase(sourceDb), PLAN);
        return MatrixRun.builder(name, mode)
                .cluster(client, miniCluster, REPORTER)
                .source(SERVERS.sourceUri(), SERVERS.sourceClient(), sourceDb)
                .target(SERVERS.targetUri(), SERVERS.targetClient(), sourceDb + "_copy")
                .collections(SAMPLE_COLLECTIONS)
                .stateDir(stateDir)
                .snapshotPace(40, 3)
                .workload(mode.hasChangeStreams() ? 100 : 0);
    }

    private static void finish(MatrixRun run, Mode mode) throws Exception {
        if (mode.hasChangeStreams()) {
            run.assertCaughtUpEqual(Duration.ofSeconds(90));
        } else {
            run.assertFinishedEqual(Duration.ofSeconds(90));
        }
    }
}
