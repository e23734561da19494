package io.mongoresume.job.precheck;

import io.mongoresume.job.config.InvalidConfigException;
import io.mongoresume.job.restore.LocalStatePath;
import io.mongoresume.job.restore.RestorePoint;
import io.mongoresume.job.restore.RestorePoints;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Checks a {@code --from-savepoint} path before anything starts: Flink would otherwise fail the job
 * at its start with a long trace. A path is good when it is a directory holding {@code _metadata}
 * or the metadata file itself (Flink takes both). Paths on file systems this process cannot look
 * into pass unchecked.
 */
public final class RestorePathCheck {

    private static final String OPTION = "--from-savepoint";

    private RestorePathCheck() {}

    public static void check(String pointer) {
        Optional<Path> local;
        try {
            local = LocalStatePath.of(pointer);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(
                    OPTION + " " + pointer + " is not a path or URI: " + e.getMessage());
        }
        if (local.isEmpty()) {
            return;
        }
        Path path = local.get();
        if (Files.isRegularFile(path)
                || (Files.isDirectory(path) && RestorePoints.isComplete(path))) {
            return;
        }
        String problem;
        Optional<RestorePoint> instead;
        if (!Files.exists(path)) {
            problem = "does not exist";
            instead = nearest(path.getParent());
        } else if (RestorePoints.isCheckpointName(path)) {
            problem =
                    "is a checkpoint still being written, or left unfinished (no "
                            + RestorePoints.METADATA
                            + ")";
            instead = nearest(path.getParent());
        } else {
            problem =
                    "holds no " + RestorePoints.METADATA + ", so it is no savepoint or checkpoint";
            instead = RestorePoints.newestIn(path).or(() -> nearest(path.getParent()));
        }
        throw new InvalidConfigException(
                OPTION
                        + " "
                        + pointer
                        + " "
                        + problem
                        + ". "
                        + instead.map(
                                        p ->
                                                "The newest complete "
                                                        + p.kind()
                                                        + " there: "
                                                        + p.pointer())
                                .orElse(
                                        "Give the path printed after 'Stopped with a savepoint at', or a"
                                                + " retained chk-N directory that holds "
                                                + RestorePoints.METADATA
                                                + "."));
    }

    private static Optional<RestorePoint> nearest(Path dir) {
        return dir == null ? Optional.empty() : RestorePoints.newestIn(dir);
    }
}
