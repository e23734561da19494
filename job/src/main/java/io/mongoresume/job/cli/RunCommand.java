package io.mongoresume.job.cli;

import io.mongoresume.job.plan.MigrationPlan;
import io.mongoresume.job.precheck.RestorePathCheck;
import io.mongoresume.job.precheck.StateDirectories;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code run}: a migration from a job file on a local MiniCluster with the Flink web UI. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description =
                "Run a migration locally (Flink MiniCluster with web UI). Ctrl-C stops it with a savepoint"
                        + " and prints the command that resumes from it.")
final class RunCommand implements Callable<Integer> {

    @Mixin JobFileOptions jobFile;

    @Mixin LocalRunExitCodes exitCodes;

    @Option(
            names = "--from-savepoint",
            paramLabel = "PATH",
            description = "Resume from this savepoint (printed when a run was stopped).")
    String fromSavepoint;

    @Option(
            names = "--web-ui-port",
            paramLabel = "N",
            defaultValue = "8081",
            description = "Port of the Flink web UI (default: ${DEFAULT-VALUE}).")
    int webUiPort;

    @Override
    public Integer call() throws Exception {
        if (fromSavepoint != null) {
            RestorePathCheck.check(fromSavepoint);
        }
        MigrationPlan migration = jobFile.load();
        StateDirectories.check(migration);
        return JobLauncher.runLocally(
                        migration,
                        fromSavepoint,
                        webUiPort,
                        savepoint -> ResumeCommand.build("run", resumeArgs(savepoint)))
                .exitCode();
    }

    private List<String> resumeArgs(String savepoint) {
        List<String> args = new ArrayList<>(jobFile.toArguments());
        args.add("--from-savepoint");
        args.add(savepoint);
        args.add("--web-ui-port");
        args.add(String.valueOf(webUiPort));
        return args;
    }
}
