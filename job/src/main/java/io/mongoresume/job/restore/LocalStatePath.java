package io.mongoresume.job.restore;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * Where a state location ({@code checkpoint.dir}, {@code savepoint.dir}, a savepoint path) is on
 * this machine. Parsed the way Flink parses it ({@link org.apache.flink.core.fs.Path}); only {@code
 * file:} URIs and plain paths are local. Other schemes (s3:, hdfs:, ...) are Flink's business:
 * nothing here looks into them.
 */
public final class LocalStatePath {

    private LocalStatePath() {}

    /**
     * The local path, or empty when the location is on a file system this process does not look
     * into.
     *
     * @throws IllegalArgumentException when Flink could not parse the location either
     */
    public static Optional<Path> of(String location) {
        URI uri = new org.apache.flink.core.fs.Path(location.trim()).toUri();
        if (uri.getScheme() != null && !"file".equals(uri.getScheme())) {
            return Optional.empty();
        }
        return Optional.of(Paths.get(uri.getPath()).toAbsolutePath().normalize());
    }

    /** The location as Flink prints it ({@code file:/...}): what a resume command passes on. */
    public static String pointer(Path local) {
        return new org.apache.flink.core.fs.Path("file", null, local.toAbsolutePath().toString())
                .toString();
    }
}
