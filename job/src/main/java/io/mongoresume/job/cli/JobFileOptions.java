package io.mongoresume.job.cli;

import io.mongoresume.job.plan.MigrationPlan;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The job file of a command that works on one migration: {@code --config FILE} and repeatable
 * {@code --set KEY=VALUE}. Commands take it as a picocli {@code @Mixin}, so the options read and
 * print the same everywhere.
 */
public final class JobFileOptions {

    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "YAML job file.")
    private Path config;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Override one option of the job file (repeatable).")
    private List<String> overrides = new ArrayList<>();

    public Path config() {
        return config;
    }

    public List<String> overrides() {
        return Collections.unmodifiableList(overrides);
    }

    /** Reads the job file, applies the overrides and validates the result. */
    public MigrationPlan load() {
        return MigrationPlan.load(config, overrides);
    }

    /** These options as arguments for a printed command line, with the job file's absolute path. */
    public List<String> toArguments() {
        List<String> args = new ArrayList<>();
        args.add("--config");
        args.add(config.toAbsolutePath().toString());
        for (String override : overrides) {
            args.add("--set");
            args.add(override);
        }
        return args;
    }
}
