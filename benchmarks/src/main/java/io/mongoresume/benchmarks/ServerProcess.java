package io.mongoresume.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One embedded MongoDB-protocol server (memory backend, oplog on) in its own JVM, started through
 * the product's {@code server} command, so the server's CPU and heap are never shared with what is
 * measured.
 */
final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening at (mongodb://\\S+)");
    private static final long START_TIMEOUT_SECONDS = 60;

    private final Process process;
    private final String uri;
    private final String name;

    private ServerProcess(String name, Process process, String uri) {
        this.name = name;
        this.process = process;
        this.uri = uri;
    }

    static ServerProcess start(String name, String heap, Path logDir, boolean jfr)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        if (jfr) {
            command.add(
                    "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                            + logDir.resolve(name + ".jfr"));
        }
        command.add("-XX:+UseParallelGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.mongoresume.job.cli.MongoResumeCli");
        command.add("server");
        command.add("--port");
        command.add("0");
        Process process =
                new ProcessBuilder(command)
                        .redirectError(logDir.resolve(name + ".log").toFile())
                        .start();
        CompletableFuture<String> uri = new CompletableFuture<>();
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader out =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    process.getInputStream(),
                                                    StandardCharsets.UTF_8))) {
                                String line;
                                while ((line = out.readLine()) != null) {
                                    Matcher m = LISTENING.matcher(line);
                                    if (m.find()) {
                                        uri.complete(m.group(1));
                                    }
                                }
                            } catch (IOException e) {
                                uri.completeExceptionally(e);
                            }
                            uri.completeExceptionally(new IOException(name + " server exited"));
                        },
                        name + "-server-out");
        reader.setDaemon(true);
        reader.start();
        // Ctrl-C on the benchmark must not leave servers behind.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, name + "-server-stop"));
        try {
            return new ServerProcess(
                    name, process, uri.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException("Could not start the " + name + " server; see " + logDir, e);
        }
    }

    String uri() {
        return uri;
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM (the server command stops cleanly on it), then kill if it does not exit. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return name + " server pid " + process.pid() + " at " + uri;
    }
}
