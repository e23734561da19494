package io.mongoresume.job.cli;

import io.mongoresume.job.config.InvalidConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar mongo-resume.jar <command>}: the local entry point. */
@Command(
        name = "mongo-resume",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Resumable MongoDB-to-MongoDB migration on Apache Flink.",
        subcommands = {
            RunCommand.class,
            DemoCommand.class,
            ServerCommand.class,
            io.mongoresume.job.precheck.PrecheckCommand.class,
            io.mongoresume.job.verify.VerifyCommand.class,
            io.mongoresume.job.status.StatusCommand.class
        })
public final class MongoResumeCli {

    /**
     * Exit code for a run that finished (sync.type=full: every collection copied, counts equal).
     */
    static final int EXIT_FINISHED = 0;

    /** Exit code for a job that failed while running, or a full copy whose counts differ. */
    static final int EXIT_JOB_FAILED = 1;

    /** Exit code for bad options or unusable input: nothing was written. */
    static final int EXIT_BAD_INPUT = 2;

    /**
     * Exit code for a run stopped with a savepoint (Ctrl-C, SIGTERM): resume it with the printed
     * command.
     */
    static final int EXIT_STOPPED_WITH_SAVEPOINT = 3;

    /** The exit codes of {@code run} and {@code demo}, for their {@code --help}. */
    static final String EXIT_CODES_HEADING = "%nExit codes:%n";

    static final String EXIT_FINISHED_HELP =
            EXIT_FINISHED + ":finished (sync.type=full: every collection copied)";
    static final String EXIT_JOB_FAILED_HELP =
            EXIT_JOB_FAILED
                    + ":the job failed, or a full copy's counts differ (the cause is printed)";
    static final String EXIT_BAD_INPUT_HELP =
            EXIT_BAD_INPUT + ":bad options or input, nothing was written";
    static final String EXIT_STOPPED_HELP =
            EXIT_STOPPED_WITH_SAVEPOINT
                    + ":stopped with a savepoint (Ctrl-C, SIGTERM); resume with the printed command";

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new MongoResumeCli());
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    if (e instanceof InvalidConfigException) {
                        commandLine.getErr().println("error: " + e.getMessage());
                        return EXIT_BAD_INPUT;
                    }
                    throw e;
                });
        return cli.execute(args);
    }
}
