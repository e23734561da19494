package io.mongoresume.job.faults;

import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.mongodb.client.MongoClient;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.annotation.Nullable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.testutils.DelayingProxy;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.job.demo.SampleDataSeeder;
import io.mongoresume.job.demo.SeedPlan;
import io.mongoresume.job.faults.MatrixRun.Mode;
import io.mongoresume.job.faults.MatrixRun.Phase;
import io.mongoresume.job.server.EmbeddedMongoServer;
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

    /** The H2 backend inserts ~2k documents/s: less data for the target that restarts. */
    private static final SeedPlan H2_PLAN = SeedPlan.of(13L, 100, 500, 100);

    /**
     * The workload of the restarting target's run: the H2 backend (mongo-java-server 1.47.0) loses the _id
     * lookup of a document whose _id is a document and which was deleted and inserted again, across a
     * restart: {@code find({_id: {n: 4}})} then matches nothing while the unique _id index still holds the
     * key, so every later upsert of it fails with E11000 on {@code _id_}, which the job reports as a write the
     * target refuses for good. The workload deletes and re-inserts document _ids in {@code events} and in the
     * mixed-id collections; those are copied and compared all the same, but changed only by the snapshot.
     */
    private static final List<String> H2_WORKLOAD_COLLECTIONS =
            List.of(SampleDataSeeder.CUSTOMERS, SampleDataSeeder.ORDERS);

    /** Longer than the writer's retries: (1 s timeout + 200 ms back-off) + 1 s. */
    private static final Duration STALL = Duration.ofMillis(3_000);

    private static final Duration TARGET_DOWN = Duration.ofMillis(3_000);

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

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void targetStalledLongerThanTheWritersRetriesInEveryPhase(
            Mode mode, @InjectClusterClient ClusterClient<?> client, @InjectMiniCluster MiniCluster miniCluster)
            throws Exception {
        try (DelayingProxy proxy = DelayingProxy.inFrontOf(SERVERS.targetUri())) {
            // A little slower than the source, so that writes are under way in every phase.
            proxy.setReplyDelayMillis(5);
            Fault stall =
                    new Fault() {
                        @Override
                        public void begin() {
                            proxy.freeze();
                        }

                        @Override
                        public Duration hold() {
                            return STALL;
                        }

                        @Override
                        public void end() {
                            proxy.thaw();
                        }

                        @Override
                        public String toString() {
                            return "a target stall of " + STALL.toMillis() + " ms";
                        }
                    };
            MatrixRun.Builder builder = sampleRun("stall", mode, client, miniCluster);
            builder.target(proxy.uri(), SERVERS.targetClient(), builder.targetDatabase());
            try (MatrixRun run = builder.start()) {
                for (Phase phase : mode.phases()) {
                    run.awaitPhase(phase);
                    run.inject(phase, stall);
                }
                finish(run, mode);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void targetRestartedWithItsDataInEveryPhase(
            Mode mode, @InjectClusterClient ClusterClient<?> client, @InjectMiniCluster MiniCluster miniCluster)
            throws Exception {
        RestartableTarget target = new RestartableTarget(stateDir.resolve("target.mv"));
        try (target;
                MongoClient targetClient = MongoConnectionOptions.of(target.uri(), 5_000).createClient()) {
            Fault restart =
                    new Fault() {
                        @Override
                        public void begin() {
                            target.stop();
                        }

                        @Override
                        public Duration hold() {
                            return TARGET_DOWN;
                        }

                        @Override
                        public void end() {
                            target.start();
                        }

                        @Override
                        public String toString() {
                            return "a target restart (down for " + TARGET_DOWN.toMillis() + " ms)";
                        }
                    };
            String name = "restart_" + (mode.hasChangeStreams() ? "fullinc" : "full");
            String sourceDb = MongoTestServer.freshDatabaseName(name);
            SampleDataSeeder.seed(SERVERS.sourceClient().getDatabase(sourceDb), H2_PLAN);
            MatrixRun.Builder builder =
                    MatrixRun.builder(name, mode)
                            .cluster(client, miniCluster, REPORTER)
                            .source(SERVERS.sourceUri(), SERVERS.sourceClient(), sourceDb)
                            .target(target.uri(), targetClient, sourceDb + "_copy")
                            .collections(SAMPLE_COLLECTIONS)
                            .stateDir(stateDir)
                            .snapshotPace(40, 3)
                            // Not on the collections with document _ids: see H2_WORKLOAD_COLLECTIONS.
                            .workload(mode.hasChangeStreams() ? 40 : 0, H2_WORKLOAD_COLLECTIONS);
            try (MatrixRun run = builder.start()) {
                for (Phase phase : mode.phases()) {
                    run.awaitPhase(phase);
                    run.inject(phase, restart);
                }
                finish(run, mode);
            }
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

    /**
     * The embedded server with the H2 backend on a fixed port: stopped gracefully (its file flushed) and
     * started again on the same port and file, with the data it had.
     */
    private static final class RestartableTarget implements AutoCloseable {
        private final Path file;
        private final int port;
        @Nullable private EmbeddedMongoServer server;

        RestartableTarget(Path file) throws IOException {
            this.file = file;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                this.port = probe.getLocalPort();
            }
            start();
        }

        String uri() {
            return "mongodb://127.0.0.1:" + port + "/?directConnection=true";
        }

        void start() {
            server = EmbeddedMongoServer.start("127.0.0.1", port, file);
        }

        void stop() {
            if (server != null) {
                server.close();
                server = null;
            }
        }

        @Override
        public void close() {
            stop();
        }
    }

    private static void finish(MatrixRun run, Mode mode) throws Exception {
        if (mode.hasChangeStreams()) {
            run.assertCaughtUpEqual(Duration.ofSeconds(90));
        } else {
            run.assertFinishedEqual(Duration.ofSeconds(90));
        }
    }
}
