package io.mongoresume.job.testutils;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A command started as its own process, as a scheduler or a shell without a terminal starts it:
 * nothing on its standard input, its standard output and error in files of their own (readable
 * while it runs and after it ended).
 */
public record ChildProcess(Process process, Path out, Path err) {

    /**
     * Starts {@code builder}'s command with its output in new files {@code <prefix>*.out} and
     * {@code .err} in {@code dir}.
     */
    public static ChildProcess start(ProcessBuilder builder, Path dir, String prefix)
            throws IOException {
        Path out = Files.createTempFile(dir, prefix, ".out");
        Path err = Files.createTempFile(dir, prefix, ".err");
        Process process =
                builder.redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
        return new ChildProcess(process, out, err);
    }

    /** {@code java <maxHeap> -jar <jar> <args>} with this JVM's java. */
    public static List<String> javaJar(String maxHeap, Path jar, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(maxHeap);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(Arrays.asList(args));
        return command;
    }
}
