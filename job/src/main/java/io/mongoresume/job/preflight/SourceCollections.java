package io.mongoresume.job.preflight;

import com.mongodb.MongoException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;

import org.bson.Document;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.target.TargetMetadata;
import io.mongoresume.job.config.InvalidConfigException;
import io.mongoresume.job.config.MigrationConfig;

/**
 * Checks, before the job is submitted, that both deployments answer and that the selection names
 * collections that exist. Every failure is an {@link InvalidConfigException} whose message says what to do;
 * nothing has been written when it is thrown.
 */
public final class SourceCollections {

    private static final Set<String> SYSTEM_DATABASES = Set.of("admin", "config", "local");

    private SourceCollections() {}

    /** The selected source collections, sorted by name. */
    public static List<String> resolve(MigrationConfig config) {
        MongoConnectionOptions source = config.sourceConnection();
        List<String> existing = listCollections(source, config.sourceDatabase(), "source");
        checkReachable(config.targetConnection(), config.targetDatabase(), "target");
        if (existing.isEmpty() && !config.selectsByList() && !config.selectsByRegex()) {
            throw new InvalidConfigException(emptyDatabase(source, config.sourceDatabase()));
        }
        if (config.selectsByList()) {
            List<String> missing = new ArrayList<>();
            for (String name : config.collections()) {
                if (!existing.contains(name)) {
                    missing.add(name);
                }
            }
            if (!missing.isEmpty()) {
                throw new InvalidConfigException(
                        "source.collections names "
                                + (missing.size() == 1 ? "a collection" : "collections")
                                + " that database '"
                                + config.sourceDatabase()
                                + "' does not have: "
                                + missing
                                + ". It has: "
                                + describe(existing));
            }
            return Collections.unmodifiableList(new ArrayList<>(new TreeSet<>(config.collections())));
        }
        Pattern pattern = Pattern.compile(config.collectionRegex());
        List<String> selected = new ArrayList<>();
        for (String name : existing) {
            if (pattern.matcher(name).matches()) {
                selected.add(name);
            }
        }
        if (selected.isEmpty()) {
            throw new InvalidConfigException(
                    "source.collection-regex '"
                            + config.collectionRegex()
                            + "' matches no collection of database '"
                            + config.sourceDatabase()
                            + "'. It has: "
                            + describe(existing));
        }
        return Collections.unmodifiableList(selected);
    }

    /** Nothing selected anything: the database itself is empty, or its name is misspelt. */
    private static String emptyDatabase(MongoConnectionOptions source, String database) {
        List<String> others = otherDatabases(source, database);
        return "Database '"
                + database
                + "' on "
                + source.maskedUri()
                + " has no collections, so there is nothing to migrate (source.database"
                + (others.isEmpty() ? ")." : "; the databases there: " + String.join(", ", others) + ").");
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

    private static String describe(List<String> existing) {
        return existing.isEmpty() ? "no collections" : String.join(", ", existing);
    }

    /** Collection names (no views, no system.*), sorted; fails clearly when the server does not answer. */
    public static List<String> listCollections(
            MongoConnectionOptions connection, String database, String side) {
        try (MongoClient client = connection.createClient()) {
            TreeSet<String> names = new TreeSet<>();
            for (Document info : client.getDatabase(database).listCollections()) {
                String name = info.getString("name");
                String type = info.getString("type");
                if (name != null
                        && !name.startsWith("system.")
                        && !TargetMetadata.isOwnCollection(name)
                        && (type == null || "collection".equals(type))) {
                    names.add(name);
                }
            }
            return new ArrayList<>(names);
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
            what = "refused the credentials. Check the user, password and authSource in " + side + ".uri";
        } else {
            what = "failed: " + MongoConnectionOptions.mask(e.getMessage());
        }
        return new InvalidConfigException(
                "The " + side + " " + connection.maskedUri() + " " + what + ".", e);
    }
}
