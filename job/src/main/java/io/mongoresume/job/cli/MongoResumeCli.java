package io.mongoresume.job.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import io.mongoresume.job.config.InvalidConfigException;

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

    /** Exit code for bad options or unusable input: nothing was written. */
    static final int EXIT_BAD_INPUT = 2;
    /** Exit code for a job that failed while running. */
    static final int EXIT_JOB_FAILED = 1;

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
