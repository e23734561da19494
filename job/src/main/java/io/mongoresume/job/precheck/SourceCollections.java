package io.mongoresume.job.precheck;

import com.mongodb.MongoException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.job.config.InvalidConfigException;
import io.mongoresume.job.plan.MigrationPlan;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Checks, before the job is submitted, that both deployments answer and that the selection names
 * collections that exist. Every failure is an {@link InvalidConfigException} whose message says
 * what to do; nothing has been written when it is thrown.
 */
public final class SourceCollections {

    private static final Set<String> SYSTEM_DATABASES = Set.of("admin", "config", "local");

    private SourceCollections() {}

    /**
     * The selected source namespaces ({@code db.collection}), sorted: the shorthand's collections
     * of its database, or what the namespace form matches across the source's databases.
     */
    public static List<String> resolve(MigrationPlan plan) {
        MongoConnectionOptions source = plan.sourceConnection();
        CollectionSelection selection = plan.selection();
        if (!selection.isShorthand()) {
            List<String> existing = listNamespaces(source, selection);
            checkReachable(plan.targetConnection(), targetPingDatabase(plan), "target");
            try {
                return selection.resolveNamespaces(existing);
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException(e.getMessage() + " Nothing was written.");
            }
        }
        String database = selection.database();
        List<String> existing = listCollections(source, database, "source");
        checkReachable(plan.targetConnection(), targetPingDatabase(plan), "target");
        if (existing.isEmpty() && selection.equals(CollectionSelection.everything(database))) {
            throw new InvalidConfigException(emptyDatabase(source, database));
        }
        List<String> namespaces = new ArrayList<>();
        try {
            for (String collection : selection.resolve(existing)) {
                namespaces.add(CollectionSelection.namespace(database, collection));
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(e.getMessage());
        }
        return namespaces;
    }

    /** A database of the target to ping: the target database, or admin across databases. */
    static String targetPingDatabase(MigrationPlan plan) {
        return plan.targetDatabase() != null ? plan.targetDatabase() : "admin";
    }

    /**
     * Every eligible namespace of the source's databases the selection may match, sorted; fails
     * clearly when the server does not answer.
     */
    public static List<String> listNamespaces(
            MongoConnectionOptions connection, CollectionSelection selection) {
        try (MongoClient client = connection.createClient()) {
            return selection.eligibleNamespaces(client);
        } catch (MongoException e) {
            throw unreachable(connection, "source", e);
        }
    }

    /** Nothing selected anything: the database itself is empty, or its name is misspelt. */
    private static String emptyDatabase(MongoConnectionOptions source, String database) {
        List<String> others = otherDatabases(source, database);
        return "Database '"
                + database
                + "' on "
                + source.maskedUri()
                + " has no collections, so there is nothing to migrate (source.database"
                + (others.isEmpty()
                        ? ")."
                        : "; the databases there: " + String.join(", ", others) + ").");
    }

    /** Best effort: a user without listDatabases rights just gets no list. */
    private static List<String> otherDatabases(MongoConnectionOptions source, String database) {
        try (MongoClient client = source.createClient()) {
            List<String> names = new ArrayList<>();
            for (String name : client.listDatabaseNames()) {
                if (!name.equals(database) && !SYSTEM_DATABASES.contains(name)) {
                    names.add(name);
                }
            }
            return names;
        } catch (MongoException e) {
            return Collections.emptyList();
        }
    }

    /**
     * Collection names (no views, no system.*), sorted; fails clearly when the server does not
     * answer.
     */
    public static List<String> listCollections(
            MongoConnectionOptions connection, String database, String side) {
        try (MongoClient client = connection.createClient()) {
            return CollectionSelection.eligible(client.getDatabase(database));
        } catch (MongoException e) {
            throw unreachable(connection, side, e);
        }
    }

    static void checkReachable(MongoConnectionOptions connection, String database, String side) {
        try (MongoClient client = connection.createClient()) {
            client.getDatabase(database).runCommand(new Document("ping", 1));
        } catch (MongoException e) {
            throw unreachable(connection, side, e);
        }
    }

    public static InvalidConfigException unreachable(
            MongoConnectionOptions connection, String side, MongoException e) {
        String what;
        if (e instanceof MongoTimeoutException) {
            what =
                    "did not answer within "
                            + connection.timeoutMillis()
                            + " ms ("
                            + side
                            + ".timeout). Check host, port, network and that the server runs";
        } else if (e instanceof MongoSecurityException) {
            what =
                    "refused the credentials. Check the user, password and authSource in "
                            + side
                            + ".uri";
        } else {
            what = "failed: " + MongoConnectionOptions.mask(e.getMessage());
        }
        return new InvalidConfigException(
                "The " + side + " " + connection.maskedUri() + " " + what + ".", e);
    }
}
