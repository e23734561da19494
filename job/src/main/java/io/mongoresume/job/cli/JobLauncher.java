package io.mongoresume.job.cli;

import io.mongoresume.job.local.CopySummary;
import io.mongoresume.job.local.LocalJobRunner;
import io.mongoresume.job.plan.MigrationPlan;
import io.mongoresume.job.topology.CheckedPlan;
import io.mongoresume.job.topology.MigrationJob;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Function;

/**
 * What {@code run} and {@code demo} share: pre-flight checks, the local run and the closing
 * summary.
 */
final class JobLauncher {

    private JobLauncher() {}

    /** How a local run ended: the process exit code, and whether it stopped with a savepoint. */
    record Launch(int exitCode, boolean stoppedWithSavepoint) {}

    static Launch runLocally(
            MigrationPlan plan,
            String fromSavepoint,
            int webUiPort,
            Function<String, String> resumeCommand)
            throws Exception {
        PrintStream out = System.out;
        out.println("Options: " + plan.maskedOptions());
        CheckedPlan checked = CheckedPlan.check(plan, fromSavepoint != null);
        List<String> namespaces = checked.namespaces();
        List<String> labels = new java.util.ArrayList<>();
        namespaces.forEach(ns -> labels.add(plan.label(ns)));
        out.println(
                "Migrating "
                        + namespaces.size()
                        + " collection(s) of "
                        + (plan.sourceDatabase() != null
                                ? plan.sourceDatabase()
                                : MigrationJob.byDatabase(plan, namespaces).size() + " database(s)")
                        + " ("
                        + plan.sync()
                        + "): "
                        + String.join(", ", labels));
        LocalJobRunner runner = new LocalJobRunner(checked, out);
        LocalJobRunner.Result result;
        try {
            result = runner.run(fromSavepoint, webUiPort, resumeCommand);
        } catch (LocalJobRunner.JobFailedException e) {
            System.err.println("Job failed: " + e.getMessage());
            if (e.resumePoint() != null) {
                System.err.println(
                        "Once the cause is fixed, resume from " + e.resumePoint() + " with:");
                System.err.println("  " + resumeCommand.apply(e.resumePoint()));
            }
            return new Launch(MongoResumeCli.EXIT_JOB_FAILED, false);
        }
        if (result.outcome == LocalJobRunner.Outcome.FINISHED) {
            CopySummary summary = CopySummary.count(plan, namespaces);
            summary.print(out, result.elapsed);
            if (!summary.allMatch()) {
                System.err.println(
                        "Counts differ (see above). A full copy does not follow changes made while it runs:"
                                + " if the source was written to meanwhile, use sync.type=full+incremental."
                                + (plan.sink().onWriteError()
                                                == io.mongoresume.connectors.sink.WriteErrorPolicy
                                                        .SKIP_AND_LOG
                                        ? " Writes the target refused are recorded in "
                                                + (plan.targetDatabase() != null
                                                        ? plan.targetDatabase()
                                                        : "each target database")
                                                + ".__mongo_resume_dead_letters."
                                        : "")
                                + " Run verify to list the documents that differ.");
                return new Launch(MongoResumeCli.EXIT_JOB_FAILED, false);
            }
        }
        boolean stopped = result.outcome == LocalJobRunner.Outcome.STOPPED_WITH_SAVEPOINT;
        return new Launch(
                stopped ? MongoResumeCli.EXIT_STOPPED_WITH_SAVEPOINT : MongoResumeCli.EXIT_FINISHED,
                stopped);
    }
}
