package io.mongoresume.connectors.testutils;

import com.mongodb.client.MongoClient;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.function.Supplier;

/**
 * A {@link MongoServerExtension} that each test also reaches through a fresh {@link DelayingProxy}
 * (to slow down or freeze), closed after the test. Register it as a static
 * {@code @RegisterExtension} field: the server starts before the class's {@code @BeforeAll}
 * methods, the proxy before each {@code @BeforeEach} method and closes after each
 * {@code @AfterEach} method.
 */
public final class ProxiedServer
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final MongoServerExtension server;
    private DelayingProxy proxy;

    public ProxiedServer(Supplier<MongoTestServer> start) {
        this.server = new MongoServerExtension(start);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.afterAll(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        proxy = DelayingProxy.inFrontOf(server.server().uri());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
    }

    public MongoTestServer server() {
        return server.server();
    }

    /** A client on the server directly, past the proxy. */
    public MongoClient client() {
        return server.client();
    }

    /** This test's proxy in front of the server. */
    public DelayingProxy proxy() {
        return proxy;
    }
}
