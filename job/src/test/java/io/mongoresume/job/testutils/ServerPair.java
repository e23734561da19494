package io.mongoresume.job.testutils;

import com.mongodb.client.MongoClient;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.testutils.MongoTestServer;

/**
 * A source and a target MongoDB for one test class (embedded servers, or real deployments named by
 * {@code -Dmongo.source.uri} / {@code -Dmongo.target.uri}) with a client on each.
 */
public final class ServerPair implements AutoCloseable {

    public final MongoTestServer source;
    public final MongoTestServer target;
    public final MongoClient sourceClient;
    public final MongoClient targetClient;

    private ServerPair() {
        source = MongoTestServer.source();
        target = MongoTestServer.target();
        sourceClient = MongoConnectionOptions.of(source.uri(), 5000).createClient();
        targetClient = MongoConnectionOptions.of(target.uri(), 5000).createClient();
    }

    public static ServerPair start() {
        return new ServerPair();
    }

    @Override
    public void close() {
        sourceClient.close();
        targetClient.close();
        source.close();
        target.close();
    }
}
