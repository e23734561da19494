package io.mongoresume.job.testutils;

import com.mongodb.client.MongoClient;
import io.mongoresume.connectors.testutils.MongoServerExtension;
import io.mongoresume.connectors.testutils.MongoTestServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A source and a target MongoDB for one test class (embedded servers, or real deployments named by
 * {@code -Dmongo.source.uri} / {@code -Dmongo.target.uri}) with a client on each. Register it as a
 * static {@code @RegisterExtension} field: it starts before the class's {@code @BeforeAll} methods
 * and stops after its {@code @AfterAll} methods.
 */
public final class ServerPair implements BeforeAllCallback, AfterAllCallback {

    private final MongoServerExtension source = new MongoServerExtension(MongoTestServer::source);
    private final MongoServerExtension target = new MongoServerExtension(MongoTestServer::target);

    @Override
    public void beforeAll(ExtensionContext context) {
        source.beforeAll(context);
        target.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        source.afterAll(context);
        target.afterAll(context);
    }

    public String sourceUri() {
        return source.server().uri();
    }

    public String targetUri() {
        return target.server().uri();
    }

    /** Whether the source is the embedded server (no real deployment was named). */
    public boolean sourceIsEmbedded() {
        return source.server().isEmbedded();
    }

    public MongoClient sourceClient() {
        return source.client();
    }

    public MongoClient targetClient() {
        return target.client();
    }
}
