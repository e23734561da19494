package io.mongoresume.job.status;

import io.mongoresume.job.cli.ResumeCommand;
import io.mongoresume.job.restore.LocalStatePath;
import io.mongoresume.job.restore.RestorePoint;
import io.mongoresume.job.restore.RestorePoints;

import javax.annotation.Nullable;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code status} says when no Flink REST API knows the job (its process died, or the cluster
 * is gone): the newest complete retained checkpoint and the newest savepoint in the job's state
 * directories, which of the two to resume from (the newer) and the exact commands that do.
 */
final class RetainedStateReport {

    @Nullable private final String checkpointDir;
    @Nullable private final String savepointDir;
    @Nullable private final String configFile;
    private final RestorePoints.Retained retained;

    private RetainedStateReport(
            @Nullable String checkpointDir,
            @Nullable String savepointDir,
            @Nullable String configFile,
            RestorePoints.Retained retained) {
        this.checkpointDir = checkpointDir;
        this.savepointDir = savepointDir;
        this.configFile = configFile;
        this.retained = retained;
    }

    /**
     * Looks into the directories that are on this machine; the others are only named (null: not
     * given).
     */
    static RetainedStateReport scan(
            @Nullable String checkpointDir,
            @Nullable String savepointDir,
            @Nullable String configFile) {
        return new RetainedStateReport(
                checkpointDir,
                savepointDir,
                configFile,
                RestorePoints.scan(local(checkpointDir), local(savepointDir)));
    }

    boolean found() {
        return retained.newest().isPresent();
    }

    void print(PrintWriter out) {
        out.println("Checkpoints: " + describe(checkpointDir, retained.checkpoint()));
        out.println("Savepoints:  " + describe(savepointDir, retained.savepoint()));
        for (Path skipped : retained.incomplete()) {
            out.println(
                    "Skipped "
                            + skipped
                            + ": no "
                            + RestorePoints.METADATA
                            + " (being written when the job stopped, or never finished)");
        }
        Optional<RestorePoint> from = retained.newest();
        if (from.isEmpty()) {
            out.println("Nothing to resume from: no complete checkpoint or savepoint there.");
            return;
        }
        RestorePoint point = from.get();
        boolean both = retained.checkpoint().isPresent() && retained.savepoint().isPresent();
        out.println(
                "Resume from the " + point.kind() + (both ? " (the newer of the two)" : "") + ":");
        out.println("  " + localCommand(point));
        out.println("  on a Flink cluster: " + flinkCommand(point));
    }

    Map<String, Object> toData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("checkpointDir", checkpointDir);
        data.put("savepointDir", savepointDir);
        data.put("checkpoint", retained.checkpoint().map(RetainedStateReport::data).orElse(null));
        data.put("savepoint", retained.savepoint().map(RetainedStateReport::data).orElse(null));
        List<String> skipped = new ArrayList<>();
        retained.incomplete().forEach(p -> skipped.add(LocalStatePath.pointer(p)));
        data.put("incomplete", skipped);
        Optional<RestorePoint> from = retained.newest();
        data.put("resumeFrom", from.map(RestorePoint::pointer).orElse(null));
        data.put("resumeCommand", from.map(this::localCommand).orElse(null));
        data.put("flinkResumeCommand", from.map(this::flinkCommand).orElse(null));
        return data;
    }

    private String localCommand(RestorePoint point) {
        return ResumeCommand.build(
                "run", List.of("--config", config(), "--from-savepoint", point.pointer()));
    }

    private String flinkCommand(RestorePoint point) {
        return "flink run -s "
                + point.pointer()
                + " job/target/mongo-resume-flink.jar --config "
                + config();
    }

    private String config() {
        return configFile != null ? Path.of(configFile).toAbsolutePath().toString() : "<job.yaml>";
    }

    private static String describe(@Nullable String location, Optional<RestorePoint> newest) {
        if (location == null) {
            return "(not given)";
        }
        if (local(location) == null) {
            return location + " (not on this machine's file system: not looked into)";
        }
        return location
                + newest.map(
                                p ->
                                        ", newest complete: "
                                                + p.name()
                                                + " at "
                                                + p.completedAt().truncatedTo(ChronoUnit.MILLIS))
                        .orElse(", none complete");
    }

    private static Map<String, Object> data(RestorePoint point) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("kind", point.kind().toString());
        data.put("path", point.pointer());
        data.put("completedAt", point.completedAt().toString());
        return data;
    }

    @Nullable
    private static Path local(@Nullable String location) {
        if (location == null) {
            return null;
        }
        try {
            return LocalStatePath.of(location).orElse(null);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
