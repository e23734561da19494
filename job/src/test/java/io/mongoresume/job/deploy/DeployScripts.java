package io.mongoresume.job.deploy;

import io.mongoresume.job.testutils.ChildProcess;
import org.bson.Document;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.apache.flink.util.Preconditions.checkNotNull;
import static org.apache.flink.util.Preconditions.checkState;

/**
 * Runs the {@code deploy/} scripts of this repository as a user would (bash, its own work dir in
 * {@code MONGO_RESUME_CLUSTER_DIR}), and reads the cluster's REST API. The cluster's JVMs are found
 * by the PIDs in the work dir's pid files, so they can be killed even when {@code cluster-stop.sh}
 * cannot run.
 */
final class DeployScripts {

    private static final List<String> ROLES = List.of("taskmanager", "jobmanager");

    private final Path repo;
    private final Path workDir;
    private final String rest;

    DeployScripts(Path repo, Path workDir, int restPort) {
        this.repo = checkNotNull(repo);
        this.workDir = checkNotNull(workDir);
        this.rest = "http://localhost:" + restPort;
    }

    /** The repository root: failsafe runs in {@code job/} and sets {@code basedir} to it. */
    static Path repositoryRoot() {
        Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        Path root = Files.isDirectory(module.resolve("deploy")) ? module : module.getParent();
        checkState(
                root != null && Files.isRegularFile(root.resolve("deploy/cluster-start.sh")),
                "cannot find deploy/cluster-start.sh above %s",
                module);
        return root;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String rest() {
        return rest;
    }

    Path workDir() {
        return workDir;
    }

    /**
     * Runs {@code deploy/<script>} with {@code args}; returns its stdout (the scripts print their
     * result there, their progress on stderr, which is echoed to this JVM's stdout). Fails on a
     * non-zero exit.
     */
    String run(String script, Duration timeout, String... args) {
        return run(true, script, timeout, args);
    }

    /**
     * Like {@link #run}, but {@code status.sh} may hand over to {@code mongo-resume.jar status}.
     */
    String runAllowingJar(String script, Duration timeout, String... args) {
        return run(false, script, timeout, args);
    }

    /**
     * Runs {@code java -jar job/target/mongo-resume.jar <args>}; returns its exit code and stdout
     * (its stderr, progress and log lines, is echoed to this JVM's stdout).
     */
    Result runJar(Duration timeout, String... args) {
        List<String> command =
                ChildProcess.javaJar("-Xmx512m", repo.resolve("job/target/mongo-resume.jar"), args);
        try {
            ChildProcess child =
                    ChildProcess.start(
                            new ProcessBuilder(command).directory(workDir.toFile()),
                            workDir,
                            "mongo-resume-jar-");
            Process process = child.process();
            boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                process.destroyForcibly().waitFor();
            }
            System.out.print(indent("[mongo-resume.jar] ", Files.readString(child.err())));
            if (!done) {
                throw new AssertionError(
                        "mongo-resume.jar " + String.join(" ", args) + " timed out");
            }
            return new Result(
                    process.exitValue(), Files.readString(child.out(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Exit code and output of a command. */
    record Result(int exitCode, String output) {}

    private String run(boolean restOnly, String script, Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add("bash");
        command.add(repo.resolve("deploy").resolve(script).toString());
        command.addAll(Arrays.asList(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
            Map<String, String> env = builder.environment();
            env.put("MONGO_RESUME_CLUSTER_DIR", workDir.toString());
            env.put("MONGO_RESUME_REST", rest);
            if (restOnly) {
                // status.sh shows its own REST summary whatever the local jar offers.
                env.put("MONGO_RESUME_STATUS_REST_ONLY", "1");
            }
            ChildProcess child = ChildProcess.start(builder, workDir, script + "-");
            Process process = child.process();
            boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            String stdout = Files.readString(child.out(), StandardCharsets.UTF_8);
            String stderr = Files.readString(child.err(), StandardCharsets.UTF_8);
            System.out.print(indent("[" + script + "] ", stderr));
            if (!done || process.exitValue() != 0) {
                throw new AssertionError(
                        "deploy/"
                                + script
                                + " "
                                + String.join(" ", args)
                                + (done ? " exited " + process.exitValue() : " timed out")
                                + "\nstdout:\n"
                                + stdout
                                + "\nstderr:\n"
                                + stderr);
            }
            return stdout.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The PID in {@code <work dir>/<role>.pid}, if the file is there. */
    Optional<Long> pid(String role) {
        Path file = workDir.resolve(role + ".pid");
        try {
            return Files.isRegularFile(file)
                    ? Optional.of(Long.parseLong(Files.readString(file).strip()))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Kills whatever cluster process is still alive, by PID: the last line of defence after a
     * failure.
     */
    void killLeftovers() {
        for (String role : ROLES) {
            pid(role)
                    .flatMap(ProcessHandle::of)
                    .filter(ProcessHandle::isAlive)
                    .ifPresent(
                            handle -> {
                                System.out.println(
                                        "Killing leftover " + role + " pid " + handle.pid());
                                handle.destroyForcibly();
                                handle.onExit().join();
                            });
        }
    }

    boolean anyAlive() {
        for (String role : ROLES) {
            if (pid(role).flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    /** GET on the REST API, parsed as JSON. */
    Document get(String path) {
        return Document.parse("{\"v\": " + httpGet(rest + path) + "}").get("v", Document.class);
    }

    String jobState(String jobId) {
        return get("/jobs/" + jobId).getString("state");
    }

    static String httpGet(String url) {
        try {
            HttpURLConnection connection =
                    (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(5_000);
            connection.setReadTimeout(10_000);
            try {
                checkState(
                        connection.getResponseCode() == 200,
                        "GET %s: HTTP %s",
                        url,
                        connection.getResponseCode());
                return new String(
                        connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + url, e);
        }
    }

    /** The last lines of the cluster's logs, for a failure report. */
    String logTails(int lines) {
        StringBuilder tails = new StringBuilder();
        for (String name :
                List.of("jobmanager.log", "taskmanager.log", "jobmanager.out", "taskmanager.out")) {
            Path file = workDir.resolve("log").resolve(name);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            try {
                List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
                tails.append("==> ").append(file).append(" <==\n");
                all.subList(Math.max(0, all.size() - lines), all.size())
                        .forEach(line -> tails.append(line).append('\n'));
            } catch (IOException e) {
                tails.append("(cannot read ").append(file).append(": ").append(e).append(")\n");
            }
        }
        return tails.toString();
    }

    private static String indent(String prefix, String text) {
        if (text.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty()) {
                out.append(prefix).append(line).append('\n');
            }
        }
        return out.toString();
    }
}
