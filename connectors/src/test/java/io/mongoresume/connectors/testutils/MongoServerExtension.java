package io.mongoresume.connectors.testutils;

import com.mongodb.client.MongoClient;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.function.Supplier;

/**
 * One {@link MongoTestServer} with a client on it for a whole test class, e.g. {@code new
 * MongoServerExtension(MongoTestServer::embedded)}. Register it as a static
 * {@code @RegisterExtension} field: it starts before the class's {@code @BeforeAll} methods (which
 * may seed it) and stops after its {@code @AfterAll} methods.
 */
public final class MongoServerExtension implements BeforeAllCallback, AfterAllCallback {

    private final Supplier<MongoTestServer> start;
    private MongoTestServer server;
    private MongoClient client;

    public MongoServerExtension(Supplier<MongoTestServer> start) {
        this.start = start;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = start.get();
        client = MongoConnectionOptions.of(server.uri(), 5_000).createClient();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        client.close();
        server.close();
    }

    public MongoTestServer server() {
        return server;
    }

    public MongoClient client() {
        return client;
    }
}
