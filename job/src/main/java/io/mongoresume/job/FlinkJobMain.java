package io.mongoresume.job;

import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.mongoresume.job.cli.JobFileOptions;
import io.mongoresume.job.config.InvalidConfigException;
import io.mongoresume.job.plan.MigrationPlan;
import io.mongoresume.job.topology.MigrationJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * Entry point of {@code mongo-resume-flink.jar} for {@code flink run}: builds the job against the
 * cluster's environment. Resuming is Flink's own {@code flink run -s <savepoint>}; the job graph
 * (and its operator uids) is the same as for local runs.
 */
@Command(
        name = "mongo-resume-flink.jar",
        mixinStandardHelpOptions = true,
        description = "Submit a mongo-resume migration to a Flink 1.20 cluster (flink run).")
public final class FlinkJobMain implements Callable<Integer> {

    @Mixin JobFileOptions jobFile;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new FlinkJobMain());
        String[] error = new String[1];
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    if (e instanceof InvalidConfigException) {
                        error[0] = e.getMessage();
                        commandLine.getErr().println("error: " + e.getMessage());
                        return 2;
                    }
                    throw e;
                });
        int code = cli.execute(args);
        if (code != 0) {
            // flink run and the REST API treat a normal return as success and show only the
            // exception of a
            // failed one: carry the reason in it.
            throw new IllegalArgumentException(
                    "mongo-resume did not submit the job: "
                            + (error[0] != null
                                    ? error[0]
                                    : "exit code " + code + " (see the usage above)"));
        }
    }

    @Override
    public Integer call() throws Exception {
        MigrationPlan plan = jobFile.load();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        // flink run -s, the REST API's savepointPath and the Kubernetes operator all set this
        // option.
        boolean resuming =
                env.getConfiguration().getOptional(StateRecoveryOptions.SAVEPOINT_PATH).isPresent();
        MigrationJob.build(env, plan, resuming);
        // Attached `flink run` waits for the job; `flink run -d` returns at once.
        env.execute(plan.jobName());
        return 0;
    }
}
