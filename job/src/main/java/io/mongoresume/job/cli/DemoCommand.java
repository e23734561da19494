package io.mongoresume.job.cli;

import com.mongodb.client.MongoClient;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.job.config.InvalidConfigException;
import io.mongoresume.job.demo.SampleDataSeeder;
import io.mongoresume.job.demo.SeedPlan;
import io.mongoresume.job.demo.SeedReport;
import io.mongoresume.job.demo.WorkloadGenerator;
import io.mongoresume.job.local.DemoProgress;
import io.mongoresume.job.local.DemoServers;
import io.mongoresume.job.plan.MigrationPlan;
import io.mongoresume.job.precheck.RestorePathCheck;
import io.mongoresume.job.precheck.StateDirectories;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code demo}: two embedded servers, a seeded source, the migration job on a local cluster with
 * the web UI. Stopped with Ctrl-C, it keeps the servers running and prints the command that resumes
 * the copy.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Demo on embedded MongoDB-protocol servers: seed a sample source, copy it with the web UI"
                        + " open; Ctrl-C stops with a savepoint and prints the resume command.")
final class DemoCommand implements Callable<Integer> {

    static final String DATABASE = "shop";

    @Mixin LocalRunExitCodes exitCodes;

    @Option(
            names = "--orders",
            defaultValue = "200000",
            description = "Documents in the largest collection (default: ${DEFAULT-VALUE}).")
    int orders;

    @Option(
            names = "--dir",
            defaultValue = "demo-data",
            description = "Working directory of the demo (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(
            names = "--from-savepoint",
            paramLabel = "PATH",
            description = "Resume a stopped demo from this savepoint.")
    String fromSavepoint;

    @Option(
            names = "--web-ui-port",
            defaultValue = "8081",
            description = "Port of the Flink web UI (default: ${DEFAULT-VALUE}).")
    int webUiPort;

    @Option(
            names = "--keep-servers",
            description = "Leave the embedded servers running when the copy is done.")
    boolean keepServers;

    @Option(
            names = "--sync",
            defaultValue = "full+incremental",
            description =
                    "full: copy and finish; full+incremental (default): copy while a workload keeps writing to"
                            + " the source, and keep following it until Ctrl-C.")
    String sync;

    @Option(
            names = "--workload-ops",
            defaultValue = "50",
            description =
                    "Writes per second to the source during full+incremental (default: ${DEFAULT-VALUE}; 0 = none).")
    double workloadOps;

    @Override
    public Integer call() throws Exception {
        Path home = dir.toAbsolutePath();
        Path jobFile = home.resolve("demo-job.yaml");
        DemoServers servers;
        if (fromSavepoint == null) {
            System.out.println("Starting two embedded MongoDB-protocol servers (demo only) ...");
            servers = DemoServers.startFresh(home);
            System.out.println(
                    "  source " + servers.sourceUri() + "\n  target " + servers.targetUri());
            seed(servers);
            Files.writeString(jobFile, jobYaml(servers, home));
            System.out.println("Job file: " + jobFile);
        } else {
            RestorePathCheck.check(fromSavepoint);
            Optional<DemoServers> running = DemoServers.find(home);
            if (running.isEmpty() || !Files.exists(jobFile)) {
                throw new InvalidConfigException(
                        "The demo servers of "
                                + home
                                + " are not running any more, so there is nothing to"
                                + " resume (their data lived in memory). Start a new demo without"
                                + " --from-savepoint.");
            }
            servers = running.get();
        }
        MigrationPlan plan = MigrationPlan.load(jobFile, Collections.emptyList());
        StateDirectories.check(plan);
        WorkloadGenerator workload = startWorkload(servers, plan);
        DemoProgress progress =
                DemoProgress.start(
                        servers.sourceUri(),
                        servers.targetUri(),
                        DATABASE,
                        "http://localhost:" + webUiPort,
                        plan.sync().hasChangeStream()
                                ? "; the change streams keep the target in step until Ctrl-C."
                                : ".");
        JobLauncher.Launch launch;
        try {
            launch = JobLauncher.runLocally(plan, fromSavepoint, webUiPort, this::resumeCommand);
        } finally {
            progress.close();
            if (workload != null) {
                workload.stop(); // logs what it wrote
            }
        }
        if (!launch.stoppedWithSavepoint() && !keepServers) {
            servers.stop();
            System.out.println("Demo servers stopped.");
        } else {
            System.out.println(
                    "Demo servers still running (PIDs "
                            + servers.pids()
                            + "); the resume command uses"
                            + " them, and they stop when the demo completes.");
        }
        return launch.exitCode();
    }

    private WorkloadGenerator startWorkload(DemoServers servers, MigrationPlan plan) {
        if (workloadOps <= 0 || !plan.sync().hasChangeStream()) {
            return null;
        }
        WorkloadGenerator workload =
                WorkloadGenerator.builder()
                        .uri(servers.sourceUri())
                        .database(DATABASE)
                        .collections(
                                SampleDataSeeder.CUSTOMERS,
                                SampleDataSeeder.ORDERS,
                                SampleDataSeeder.EVENTS,
                                SampleDataSeeder.SINGLETON)
                        .opsPerSecond(workloadOps)
                        .seed(System.currentTimeMillis())
                        .build();
        workload.start();
        System.out.printf(
                "Workload: %.0f writes/s to the source (inserts, updates, replaces, deletes) while the job runs.%n",
                workloadOps);
        return workload;
    }

    private void seed(DemoServers servers) {
        SeedPlan plan = SeedPlan.defaults().withOrders(orders);
        System.out.println("Seeding the source with " + plan.totalDocuments() + " documents ...");
        try (MongoClient client =
                MongoConnectionOptions.of(servers.sourceUri(), 10_000).createClient()) {
            SeedReport report =
                    SampleDataSeeder.seed(
                            client.getDatabase(DATABASE),
                            plan,
                            line -> System.out.println("  " + line));
            System.out.println("Seeded: " + report.counts());
        }
    }

    private String resumeCommand(String savepoint) {
        List<String> args = new ArrayList<>();
        if (!dir.equals(Paths.get("demo-data"))) {
            args.add("--dir");
            args.add(dir.toString());
        }
        args.add("--from-savepoint");
        args.add(savepoint);
        if (webUiPort != 8081) {
            args.add("--web-ui-port");
            args.add(String.valueOf(webUiPort));
        }
        return ResumeCommand.build("demo", args);
    }

    String jobYaml(DemoServers servers, Path home) {
        return "# Written by the mongo-resume demo. A real job file looks the same, with your servers.\n"
                + "source:\n"
                + "  uri: "
                + servers.sourceUri()
                + "\n"
                + "  database: "
                + DATABASE
                + "\n"
                + "target:\n"
                + "  uri: "
                + servers.targetUri()
                + "\n"
                + "  database: "
                + DATABASE
                + "\n"
                + "  writers: 4\n"
                + "sync.type: "
                + sync
                + "\n"
                + "snapshot:\n"
                + "  partition:\n"
                + "    strategy: count\n"
                + "    size: 20000\n"
                + "  readers: 4\n"
                + "checkpoint:\n"
                + "  interval: 3 s\n"
                + "  dir: "
                + home.resolve("checkpoints").toUri()
                + "\n"
                + "savepoint.dir: "
                + home.resolve("savepoints").toUri()
                + "\n";
    }
}
