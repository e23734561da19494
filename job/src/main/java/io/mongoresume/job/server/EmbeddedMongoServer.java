package io.mongoresume.job.server;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;
import static org.apache.flink.util.Preconditions.checkState;

/**
 * A MongoDB-protocol server inside this JVM, <b>for tests and demos only — not for production
 * data</b>.
 *
 * <p>It wraps {@code de.bwaldvogel:mongo-java-server}: a standalone server without transactions,
 * sessions or replication, whose range queries scan whole collections. Its oplog is always switched
 * on (before the socket is bound), because the product's change-stream source needs per-collection
 * change streams.
 *
 * <p>Two storage choices: the memory backend (fast, gone at {@link #close()}), or, when a data file
 * is given, the H2 MVStore backend, which keeps documents, indexes, the oplog and therefore
 * change-stream resume positions across a restart with the same file (at roughly a tenth of the
 * memory backend's insert rate, falling as the file grows). A demo that is stopped with a savepoint
 * and resumed later uses the file. The store is flushed on {@link #close()} and auto-committed
 * about every second, so a killed process may lose its last second of writes.
 *
 * <p>The memory backend keeps each document as a Java object graph plus a copy in the oplog: budget
 * ~9 KB of heap per 0.75 KB document (200k sample orders need ~1.8 GB).
 *
 * <pre>{@code
 * try (EmbeddedMongoServer server = EmbeddedMongoServer.start("127.0.0.1", 0, null)) {
 *     MongoClient client = MongoClients.create(server.uri());
 * }
 * }</pre>
 */
public final class EmbeddedMongoServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMongoServer.class);

    private final MongoServer server;
    private final int port;
    @Nullable private final Path dataFile;

    private EmbeddedMongoServer(MongoServer server, int port, @Nullable Path dataFile) {
        this.server = server;
        this.port = port;
        this.dataFile = dataFile;
    }

    /**
     * Starts a server bound to {@code host}:{@code port}.
     *
     * @param port the port, or 0 for a random free one (see {@link #port()})
     * @param dataFile the H2 MVStore file to keep data in (created if absent, reopened if present),
     *     or {@code null} for the memory backend
     */
    public static EmbeddedMongoServer start(String host, int port, @Nullable Path dataFile) {
        checkNotNull(host, "host");
        checkArgument(port >= 0 && port <= 65535, "port out of range: %s", port);
        MongoBackend backend = dataFile == null ? new MemoryBackend() : openH2(dataFile);
        MongoServer server = new MongoServer(backend);
        // Change streams read the oplog; it must be on before the first client connects.
        server.enableOplog();
        try {
            server.bind(host, port);
        } catch (RuntimeException e) {
            // bind() already shut the server (and with it the backend) down.
            throw new IllegalStateException(
                    "Could not start the embedded test server on " + host + ":" + port, e);
        }
        InetSocketAddress address = server.getLocalAddress();
        checkState(address != null, "embedded server is not listening after bind");
        EmbeddedMongoServer started = new EmbeddedMongoServer(server, address.getPort(), dataFile);
        LOG.warn(
                "Started EMBEDDED TEST/DEMO MongoDB-protocol server (mongo-java-server, {}) at {} — "
                        + "not for production data",
                dataFile == null ? "memory backend, data lost on stop" : "H2 file " + dataFile,
                started.uri());
        return started;
    }

    /** A memory-backend server on a random free loopback port. */
    public static EmbeddedMongoServer startInMemory() {
        return start("127.0.0.1", 0, null);
    }

    private static H2Backend openH2(Path dataFile) {
        Path absolute = dataFile.toAbsolutePath();
        Path parent = absolute.getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create directory for " + absolute, e);
        }
        return new H2Backend(absolute.toString());
    }

    /** A driver URI for this server: loopback, {@code directConnection=true} (it is standalone). */
    public String uri() {
        return "mongodb://127.0.0.1:" + port + "/?directConnection=true";
    }

    /** The bound port (the actual one when started with port 0). */
    public int port() {
        return port;
    }

    /** The H2 data file, or {@code null} for the memory backend. */
    @Nullable
    public Path dataFile() {
        return dataFile;
    }

    /**
     * Disconnects all clients and stops the server. With a data file the H2 store is closed (and so
     * flushed), so a later {@link #start} with the same file sees everything written before.
     */
    @Override
    public void close() {
        server.shutdownNow();
        LOG.info("Stopped embedded test/demo MongoDB-protocol server on port {}", port);
    }

    @Override
    public String toString() {
        return "EmbeddedMongoServer{port="
                + port
                + ", backend="
                + (dataFile == null ? "memory" : "h2:" + dataFile)
                + ", test/demo only}";
    }
}
