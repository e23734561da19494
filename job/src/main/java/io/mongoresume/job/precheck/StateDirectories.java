package io.mongoresume.job.precheck;

import io.mongoresume.job.config.InvalidConfigException;
import io.mongoresume.job.plan.MigrationPlan;
import io.mongoresume.job.restore.LocalStatePath;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Creates {@code checkpoint.dir} and {@code savepoint.dir} before a local run starts, as Flink
 * would at the first checkpoint, so that a directory that cannot be created is refused with its
 * reason instead of failing the job's start with a trace. Locations on other file systems (s3:,
 * hdfs:, ...) pass unchecked.
 */
public final class StateDirectories {

    private StateDirectories() {}

    public static void check(MigrationPlan plan) {
        for (Map.Entry<String, String> dir : plan.stateDirectories().entrySet()) {
            String option = dir.getKey();
            String value = dir.getValue();
            Optional<Path> local;
            try {
                local = LocalStatePath.of(value);
            } catch (IllegalArgumentException e) {
                throw refused(option, value, "not a path or URI (" + e.getMessage() + ")");
            }
            if (local.isPresent()) {
                create(option, value, local.get());
            }
        }
    }

    private static void create(String option, String value, Path dir) {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw refused(option, value, existing + " is a file, not a directory");
        }
        if (existing != null && !Files.isWritable(existing)) {
            throw refused(
                    option,
                    value,
                    existing.equals(dir)
                            ? dir + " is not writable"
                            : "cannot create " + dir + " (" + existing + " is not writable)");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw refused(option, value, "cannot create " + dir + " (" + e + ")");
        }
    }

    private static InvalidConfigException refused(String option, String value, String why) {
        return new InvalidConfigException(
                "Invalid value '" + value + "' for option '" + option + "': " + why + ".");
    }
}
