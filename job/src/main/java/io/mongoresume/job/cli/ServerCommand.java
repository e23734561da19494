package io.mongoresume.job.cli;

import io.mongoresume.job.server.EmbeddedMongoServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code server}: the embedded MongoDB-protocol server on its own, for demos and tests only. */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description =
                "Start the embedded MongoDB-protocol server (mongo-java-server) for demos and tests. NOT a"
                        + " MongoDB: no replication, no durability guarantees; never use it for real data.")
final class ServerCommand implements Callable<Integer> {

    @Option(
            names = "--port",
            defaultValue = "27017",
            description = "Port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = "--data",
            paramLabel = "FILE",
            description =
                    "Keep data in this H2 file so it survives restarts (slow: ~300 docs/s). Default: memory.")
    Path data;

    @Option(
            names = "--ignore-sigint",
            hidden = true,
            description =
                    "Keep running on Ctrl-C in the terminal (the demo starts its servers this way).")
    boolean ignoreSigint;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        try (EmbeddedMongoServer server = EmbeddedMongoServer.start(host, port, data)) {
            System.out.println(
                    "Embedded MongoDB-protocol server for demos and tests (not for real data) listening at "
                            + server.uri()
                            + (data == null ? " (memory)" : " (H2 file " + data + ")"));
            SignalHandler stop = signal -> stopped.countDown();
            Signal.handle(new Signal("TERM"), stop);
            Signal.handle(new Signal("INT"), ignoreSigint ? signal -> {} : stop);
            stopped.await();
            System.out.println("Embedded server stopped.");
        }
        return 0;
    }
}
