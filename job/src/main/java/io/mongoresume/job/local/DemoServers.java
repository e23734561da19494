package io.mongoresume.job.local;

import com.mongodb.client.MongoClient;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import org.bson.Document;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The demo's two embedded MongoDB-protocol servers, each in its own JVM so that they outlive a demo
 * run that was stopped with a savepoint: the resume command finds them again through {@code
 * servers.properties} in the demo directory. They ignore Ctrl-C in the terminal; {@link #stop()}
 * ends them by PID.
 */
public final class DemoServers {

    private static final String FILE = "servers.properties";
    private static final String SERVER_HEAP = "-Xmx3g";

    private final Path dir;
    private final int sourcePort;
    private final int targetPort;
    private final long sourcePid;
    private final long targetPid;

    private DemoServers(Path dir, int sourcePort, int targetPort, long sourcePid, long targetPid) {
        this.dir = dir;
        this.sourcePort = sourcePort;
        this.targetPort = targetPort;
        this.sourcePid = sourcePid;
        this.targetPid = targetPid;
    }

    /** Stops servers a previous demo left in {@code dir}, then starts two new empty ones. */
    public static DemoServers startFresh(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Optional<DemoServers> previous = find(dir);
        if (previous.isPresent()) {
            previous.get().stop();
        }
        int sourcePort = freePort();
        int targetPort = freePort();
        long sourcePid = launch(dir, "source", sourcePort);
        long targetPid = launch(dir, "target", targetPort);
        DemoServers servers = new DemoServers(dir, sourcePort, targetPort, sourcePid, targetPid);
        servers.save();
        servers.awaitReachable();
        return servers;
    }

    /**
     * The servers of an earlier, stopped demo run; empty when there are none or they no longer run.
     */
    public static Optional<DemoServers> find(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        DemoServers servers =
                new DemoServers(
                        dir,
                        Integer.parseInt(p.getProperty("source.port")),
                        Integer.parseInt(p.getProperty("target.port")),
                        Long.parseLong(p.getProperty("source.pid")),
                        Long.parseLong(p.getProperty("target.pid")));
        return servers.alive() ? Optional.of(servers) : Optional.empty();
    }

    public String sourceUri() {
        return uri(sourcePort);
    }

    public String targetUri() {
        return uri(targetPort);
    }

    public List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        pids.add(sourcePid);
        pids.add(targetPid);
        return pids;
    }

    /** Ends both server processes and forgets them. */
    public void stop() throws IOException, InterruptedException {
        for (long pid : pids()) {
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            if (process.isPresent()) {
                process.get().destroy();
                try {
                    process.get().onExit().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException
                        | java.util.concurrent.TimeoutException e) {
                    process.get().destroyForcibly();
                }
            }
        }
        Files.deleteIfExists(dir.resolve(FILE));
    }

    private boolean alive() {
        return pids().stream()
                .allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    private void save() throws IOException {
        Properties p = new Properties();
        p.setProperty("source.port", String.valueOf(sourcePort));
        p.setProperty("target.port", String.valueOf(targetPort));
        p.setProperty("source.pid", String.valueOf(sourcePid));
        p.setProperty("target.pid", String.valueOf(targetPid));
        try (OutputStream out = Files.newOutputStream(dir.resolve(FILE))) {
            p.store(out, "Embedded servers of the mongo-resume demo");
        }
    }

    private void awaitReachable() throws InterruptedException {
        for (String uri : new String[] {sourceUri(), targetUri()}) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try (MongoClient client = MongoConnectionOptions.of(uri, 1000).createClient()) {
                    client.getDatabase("admin").runCommand(new Document("ping", 1));
                    break;
                } catch (RuntimeException e) {
                    if (System.nanoTime() > deadline || !alive()) {
                        throw new IllegalStateException(
                                "The demo server at "
                                        + uri
                                        + " did not start; see "
                                        + dir
                                        + "/*-server.log",
                                e);
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    private static long launch(Path dir, String name, int port) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add(SERVER_HEAP);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.mongoresume.job.cli.MongoResumeCli");
        command.add("server");
        command.add("--port");
        command.add(String.valueOf(port));
        command.add("--ignore-sigint");
        Path log = dir.resolve(name + "-server.log");
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
        return process.pid();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String uri(int port) {
        return "mongodb://127.0.0.1:" + port + "/?directConnection=true";
    }
}
