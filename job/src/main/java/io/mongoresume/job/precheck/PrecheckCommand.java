package io.mongoresume.job.precheck;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.SerializationFeature;

import io.mongoresume.job.cli.JobFileOptions;
import io.mongoresume.job.cli.ReportCommand;
import io.mongoresume.job.config.InvalidConfigException;
import io.mongoresume.job.plan.MigrationPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code precheck}: before a migration starts, checks both deployments and reports one {@code
 * PASS|WARN|FAIL} line per check. Exit code 0 when nothing failed (warnings allowed), {@value
 * #EXIT_FAILED} otherwise.
 */
@Command(
        name = "precheck",
        mixinStandardHelpOptions = true,
        description = {
            "Check a migration before starting it: connections and credentials, read rights on the source,"
                    + " write rights on the target (inserts and deletes a probe document in the scratch"
                    + " collection "
                    + Precheck.SCRATCH_COLLECTION
                    + " of the target database, then drops"
                    + " it), change streams (opens one when sync.type needs them), selected collections"
                    + " with counts, _id type mix and a sampled data model, what target.existing-data will"
                    + " do, and the oplog window against the estimated snapshot time.",
            "Exit code: 0 all passed (warnings allowed), 1 a check failed."
        })
public final class PrecheckCommand extends ReportCommand {

    static final int EXIT_FAILED = 1;

    @Mixin JobFileOptions jobFile;

    @Option(names = "--json", description = "Print one JSON object instead of lines.")
    boolean json;

    @Option(
            names = "--assume-docs-per-second",
            paramLabel = "N",
            defaultValue = "" + Precheck.DEFAULT_DOCS_PER_SECOND,
            description =
                    "Snapshot throughput used to estimate the snapshot time (default: ${DEFAULT-VALUE}).")
    long docsPerSecond;

    @Option(
            names = "--sample-size",
            paramLabel = "N",
            defaultValue = "" + Precheck.DEFAULT_SAMPLE_SIZE,
            description =
                    "Documents sampled per collection for the data model (default: ${DEFAULT-VALUE}).")
    int sampleSize;

    @Option(
            names = "--simulate-no-change-streams",
            description =
                    "Test aid: behave as if the source had no change streams, to see the FAIL path of a"
                            + " sync type that needs them on a server that has them.")
    boolean simulateNoChangeStreams;

    @Override
    protected int run(PrintWriter out, PrintWriter err) throws Exception {
        List<CheckResult> results;
        try {
            MigrationPlan migration = jobFile.load();
            results =
                    new Precheck(migration, simulateNoChangeStreams, docsPerSecond, sampleSize)
                            .run();
        } catch (InvalidConfigException e) {
            results = List.of(CheckResult.fail(configCheckName(e.getMessage()), e.getMessage()));
        }
        boolean failed = results.stream().anyMatch(r -> r.status() == CheckStatus.FAIL);
        if (json) {
            out.println(toJson(results, failed));
        } else {
            for (CheckResult result : results) {
                out.println(result.line());
            }
            long warnings = results.stream().filter(r -> r.status() == CheckStatus.WARN).count();
            out.println(
                    (failed ? "FAILED" : "OK")
                            + ": "
                            + results.stream().filter(r -> r.status() == CheckStatus.FAIL).count()
                            + " failed, "
                            + warnings
                            + " warning(s), "
                            + results.size()
                            + " checks");
        }
        out.flush();
        return failed ? EXIT_FAILED : 0;
    }

    /** A malformed URI is a connection problem of that side; other config errors are "config". */
    private static String configCheckName(String message) {
        if (message.contains("'source.uri'")) {
            return "source connection";
        }
        if (message.contains("'target.uri'")) {
            return "target connection";
        }
        return "config";
    }

    static String toJson(List<CheckResult> results, boolean failed) throws Exception {
        List<Map<String, Object>> checks = new ArrayList<>();
        for (CheckResult r : results) {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("status", r.status().name());
            check.put("name", r.name());
            check.put("detail", r.detail());
            check.put("data", r.data());
            checks.add(check);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("ok", !failed);
        root.put("checks", checks);
        return new ObjectMapper()
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .writeValueAsString(root);
    }
}
