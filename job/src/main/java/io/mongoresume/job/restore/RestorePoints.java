package io.mongoresume.job.restore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the complete checkpoints and savepoints Flink left on local disk. Layout (Flink 1.20):
 * {@code <checkpoint.dir>/<job id>/chk-N} next to the job's {@code shared} and {@code taskowned}
 * directories, and {@code <savepoint.dir>/savepoint-<job id prefix>-<random>}. A directory counts
 * once it holds {@code _metadata}; newer means a later {@code _metadata} (checkpoint numbers
 * restart with every job).
 */
public final class RestorePoints {

    public static final String METADATA = "_metadata";

    private static final Pattern CHECKPOINT = Pattern.compile("chk-\\d+");

    /** Directories of a job's checkpoint directory that hold state files, never restore points. */
    private static final Set<String> STATE_FILES = Set.of("shared", "taskowned");

    private static final Comparator<RestorePoint> AGE =
            Comparator.comparing(RestorePoint::completedAt)
                    .thenComparing(p -> p.directory().getFileName().toString().length())
                    .thenComparing(p -> p.directory().getFileName().toString());

    private RestorePoints() {}

    /**
     * What a checkpoint and a savepoint directory hold; {@code incomplete}: directories without
     * _metadata.
     */
    public record Retained(
            Optional<RestorePoint> checkpoint,
            Optional<RestorePoint> savepoint,
            List<Path> incomplete) {

        /** The newer of the two: where a resume loses the least work. */
        public Optional<RestorePoint> newest() {
            return Stream.concat(checkpoint.stream(), savepoint.stream()).max(AGE);
        }
    }

    /** Either directory may be null (not given, or not on this machine) or missing. */
    public static Retained scan(Path checkpointDir, Path savepointDir) {
        List<Path> incomplete = new ArrayList<>();
        Optional<RestorePoint> checkpoint = Optional.empty();
        if (checkpointDir != null) {
            List<RestorePoint> complete = new ArrayList<>();
            for (Path job : children(checkpointDir)) {
                for (Path chk : children(job)) {
                    if (CHECKPOINT.matcher(chk.getFileName().toString()).matches()) {
                        completed(chk, RestorePoint.Kind.CHECKPOINT)
                                .ifPresentOrElse(complete::add, () -> incomplete.add(chk));
                    }
                }
            }
            checkpoint = complete.stream().max(AGE);
        }
        Optional<RestorePoint> savepoint = Optional.empty();
        if (savepointDir != null) {
            List<RestorePoint> complete = new ArrayList<>();
            for (Path dir : children(savepointDir)) {
                completed(dir, RestorePoint.Kind.SAVEPOINT)
                        .ifPresentOrElse(complete::add, () -> incomplete.add(dir));
            }
            savepoint = complete.stream().max(AGE);
        }
        return new Retained(checkpoint, savepoint, incomplete);
    }

    /**
     * The newest complete checkpoint or savepoint in {@code dir} or one level below it: next to a
     * checkpoint still being written (in its job's directory), in a savepoint directory, in a
     * checkpoint directory (below the job ids).
     */
    public static Optional<RestorePoint> newestIn(Path dir) {
        List<RestorePoint> found = new ArrayList<>();
        for (Path child : children(dir)) {
            Optional<RestorePoint> point = completed(child, kindOf(child));
            if (point.isPresent()) {
                found.add(point.get());
            } else if (!STATE_FILES.contains(child.getFileName().toString())) {
                for (Path grandchild : children(child)) {
                    completed(grandchild, kindOf(grandchild)).ifPresent(found::add);
                }
            }
        }
        return found.stream().max(AGE);
    }

    /** Whether Flink finished writing this checkpoint or savepoint. */
    public static boolean isComplete(Path dir) {
        return Files.isRegularFile(dir.resolve(METADATA));
    }

    public static boolean isCheckpointName(Path dir) {
        return dir.getFileName() != null
                && CHECKPOINT.matcher(dir.getFileName().toString()).matches();
    }

    private static RestorePoint.Kind kindOf(Path dir) {
        return isCheckpointName(dir) ? RestorePoint.Kind.CHECKPOINT : RestorePoint.Kind.SAVEPOINT;
    }

    private static Optional<RestorePoint> completed(Path dir, RestorePoint.Kind kind) {
        try {
            Instant at = Files.getLastModifiedTime(dir.resolve(METADATA)).toInstant();
            return Optional.of(new RestorePoint(kind, dir, at));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + dir.resolve(METADATA), e);
        }
    }

    /** Sub-directories; none when the directory is missing (a job that never checkpointed). */
    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isDirectory).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }
}
