package io.mongoresume.job.precheck;

import com.mongodb.MongoException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import org.bson.Document;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Whether one deployment answers a ping and authenticates, and what it is (version, topology) where
 * it tells. Only a deployment that answered is {@linkplain PrecheckContext#answered(Side) marked}
 * for the steps after it.
 */
final class ConnectionCheck implements PrecheckStep {

    private final Side side;

    ConnectionCheck(Side side) {
        this.side = checkNotNull(side);
    }

    @Override
    public List<CheckResult> run(PrecheckContext context) {
        PrecheckContext.Deployment deployment = context.deployment(side);
        CheckResult result =
                reachable(
                        deployment.client(), deployment.connection(), deployment.commandDatabase());
        if (result.status() != CheckStatus.FAIL) {
            context.answered(side);
        }
        return List.of(result);
    }

    private CheckResult reachable(
            MongoClient client, MongoConnectionOptions conn, String database) {
        String name = side.label() + " connection";
        try {
            client.getDatabase(database).runCommand(new Document("ping", 1));
        } catch (MongoException e) {
            return CheckResult.fail(
                    name,
                    SourceCollections.unreachable(conn, side.label(), authCause(e)).getMessage());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("uri", conn.maskedUri());
        String version = "version unknown";
        try {
            Document info = client.getDatabase("admin").runCommand(new Document("buildInfo", 1));
            version = "MongoDB " + info.getString("version");
            data.put("version", info.getString("version"));
        } catch (MongoException e) {
            // Some deployments restrict buildInfo; reachability is what this check is about.
        }
        String topology = topology(client);
        data.put("topology", topology);
        return CheckResult.pass(
                name,
                conn.maskedUri() + " answers and authenticates (" + version + ", " + topology + ")",
                data);
    }

    /** A timeout whose cause was a refused login is reported as the login failure it is. */
    private static MongoException authCause(MongoException e) {
        if (e instanceof MongoTimeoutException
                && e.getMessage() != null
                && e.getMessage().contains("MongoSecurityException")) {
            return new MongoSecurityException(null, MongoConnectionOptions.mask(e.getMessage()));
        }
        return e;
    }

    private static String topology(MongoClient client) {
        Document hello;
        try {
            hello = client.getDatabase("admin").runCommand(new Document("hello", 1));
        } catch (MongoException e) {
            try {
                hello = client.getDatabase("admin").runCommand(new Document("isMaster", 1));
            } catch (MongoException e2) {
                return "topology unknown";
            }
        }
        if ("isdbgrid".equals(hello.getString("msg"))) {
            return "sharded cluster (mongos)";
        }
        if (hello.getString("setName") != null) {
            return "replica set " + hello.getString("setName");
        }
        return "standalone";
    }
}
