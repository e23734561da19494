package io.mongoresume.connectors.testutils;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.net.InetSocketAddress;
import java.util.UUID;

/**
 * A MongoDB for tests: the embedded MongoDB-protocol server (memory backend, oplog on, so change
 * streams work) on a random free loopback port, or a real deployment when a system property names
 * one ({@code -Dmongo.source.uri=...} / {@code -Dmongo.target.uri=...}). Each test gets fresh,
 * randomly named databases from {@link #freshDatabaseName}, so a real deployment can be shared.
 */
public final class MongoTestServer implements AutoCloseable {

    public static final String SOURCE_URI_PROPERTY = "mongo.source.uri";
    public static final String TARGET_URI_PROPERTY = "mongo.target.uri";

    private final MongoServer server;
    private final String uri;

    private MongoTestServer(MongoServer server, String uri) {
        this.server = server;
        this.uri = uri;
    }

    /**
     * The source side: the real deployment named by {@value #SOURCE_URI_PROPERTY}, else an embedded
     * one.
     */
    public static MongoTestServer source() {
        return startOrUse(System.getProperty(SOURCE_URI_PROPERTY));
    }

    /**
     * The target side: {@value #TARGET_URI_PROPERTY}, else the source URI property, else embedded.
     */
    public static MongoTestServer target() {
        String uri = System.getProperty(TARGET_URI_PROPERTY);
        if (uri == null || uri.isBlank()) {
            uri = System.getProperty(SOURCE_URI_PROPERTY);
        }
        return startOrUse(uri);
    }

    /** Always an embedded server, for tests of the embedded server's own behaviour. */
    public static MongoTestServer embedded() {
        MongoServer server = new MongoServer(new MemoryBackend());
        server.enableOplog();
        server.bind("127.0.0.1", 0);
        InetSocketAddress address = server.getLocalAddress();
        return new MongoTestServer(
                server, "mongodb://127.0.0.1:" + address.getPort() + "/?directConnection=true");
    }

    private static MongoTestServer startOrUse(String configuredUri) {
        if (configuredUri != null && !configuredUri.isBlank()) {
            return new MongoTestServer(null, configuredUri);
        }
        return embedded();
    }

    public String uri() {
        return uri;
    }

    public boolean isEmbedded() {
        return server != null;
    }

    public static String freshDatabaseName(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdownNow();
        }
    }
}
