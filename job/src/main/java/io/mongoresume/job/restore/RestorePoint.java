package io.mongoresume.job.restore;

import java.nio.file.Path;
import java.time.Instant;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * A complete retained checkpoint ({@code <checkpoint.dir>/<job id>/chk-N}) or savepoint on local
 * disk: a directory that holds {@code _metadata}, which Flink writes last (and, on a local file
 * system, by renaming a finished temporary file).
 */
public record RestorePoint(Kind kind, Path directory, Instant completedAt) {

    /** What wrote it. */
    public enum Kind {
        CHECKPOINT("checkpoint"),
        SAVEPOINT("savepoint");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    public RestorePoint {
        checkNotNull(kind);
        checkNotNull(directory);
        checkNotNull(completedAt);
    }

    /** What {@code --from-savepoint} and {@code flink run -s} take. */
    public String pointer() {
        return LocalStatePath.pointer(directory);
    }

    /** {@code chk-12 of job 3d5b...}, or the savepoint directory's name. */
    public String name() {
        if (kind == Kind.CHECKPOINT && directory.getParent() != null) {
            return directory.getFileName() + " of job " + directory.getParent().getFileName();
        }
        return String.valueOf(directory.getFileName());
    }
}
