package io.mongoresume.job.precheck;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import org.bson.Document;
import org.bson.RawBsonDocument;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether the source user can read every selected collection, tried with a find on each, plus what
 * connectionStatus says about that user where the server tells.
 */
final class SourceReadRightsCheck implements PrecheckStep {

    private static final String NAME = "source read rights";

    @Override
    public List<CheckResult> run(PrecheckContext context) {
        MongoClient source = context.source().client();
        List<String> selected = context.selected();
        Set<String> databases = new TreeSet<>();
        for (String namespace : selected) {
            String database = CollectionSelection.databaseOf(namespace);
            String collection = CollectionSelection.collectionOf(namespace);
            databases.add(database);
            MongoDatabase db = source.getDatabase(database);
            try {
                db.getCollection(collection, RawBsonDocument.class).find().limit(1).first();
            } catch (MongoException e) {
                return List.of(
                        CheckResult.fail(
                                NAME,
                                "find on "
                                        + database
                                        + "."
                                        + collection
                                        + " failed"
                                        + ServerRefusal.describe(e)
                                        + ". Grant the user the read role on "
                                        + database));
            }
        }
        String home = context.source().database();
        Map<String, Object> data =
                new LinkedHashMap<>(
                        privileges(
                                source,
                                home != null || databases.isEmpty()
                                        ? context.source().commandDatabase()
                                        : String.join(", ", databases),
                                home != null ? Set.of(home) : databases));
        data.put("collectionsRead", selected.size());
        return List.of(
                CheckResult.pass(
                        NAME,
                        "find (limit 1) works on all "
                                + selected.size()
                                + " selected collection(s); "
                                + data.get("summary"),
                        data));
    }

    /**
     * @param databases where the find privilege is looked for (each must have it)
     * @param named how the summary names them
     */
    private static Map<String, Object> privileges(
            MongoClient client, String named, Set<String> databases) {
        Document status;
        try {
            status =
                    client.getDatabase("admin")
                            .runCommand(
                                    new Document("connectionStatus", 1)
                                            .append("showPrivileges", true));
        } catch (MongoException e) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("summary", "connectionStatus not available: " + e.getCode());
            return data;
        }
        if (databases.size() <= 1) {
            return privileges(status, databases.isEmpty() ? named : databases.iterator().next());
        }
        Map<String, Object> data = privileges(status, named);
        boolean everywhere = true;
        for (String database : databases) {
            everywhere &= Boolean.TRUE.equals(privileges(status, database).get("findPrivilege"));
        }
        data.put("findPrivilege", everywhere);
        @SuppressWarnings("unchecked")
        List<String> users = (List<String>) data.get("users");
        if (!users.isEmpty()) {
            data.put(
                    "summary",
                    "connectionStatus: authenticated as "
                            + String.join(", ", users)
                            + (everywhere ? ", find privilege on " + named : ""));
        }
        return data;
    }

    /**
     * What a connectionStatus reply says about the user and its find privilege on {@code database}.
     */
    static Map<String, Object> privileges(Document status, String database) {
        Map<String, Object> data = new LinkedHashMap<>();
        Document auth = status.get("authInfo", Document.class);
        List<String> users = new ArrayList<>();
        boolean findGranted = false;
        if (auth != null) {
            for (Object u : auth.getList("authenticatedUsers", Object.class, List.of())) {
                if (u instanceof Document) {
                    users.add(
                            ((Document) u).getString("user")
                                    + "@"
                                    + ((Document) u).getString("db"));
                }
            }
            for (Object p : auth.getList("authenticatedUserPrivileges", Object.class, List.of())) {
                if (p instanceof Document && grantsFind((Document) p, database)) {
                    findGranted = true;
                }
            }
        }
        data.put("users", users);
        data.put("findPrivilege", findGranted);
        data.put(
                "summary",
                users.isEmpty()
                        ? "connectionStatus: no authenticated user (server without access control)"
                        : "connectionStatus: authenticated as "
                                + String.join(", ", users)
                                + (findGranted ? ", find privilege on " + database : ""));
        return data;
    }

    private static boolean grantsFind(Document privilege, String database) {
        List<Object> actions = privilege.getList("actions", Object.class, List.of());
        Document resource = privilege.get("resource", Document.class);
        if (!actions.contains("find") || resource == null) {
            return false;
        }
        if (Boolean.TRUE.equals(resource.getBoolean("anyResource"))) {
            return true;
        }
        String db = resource.getString("db");
        return db != null && (db.isEmpty() || db.equals(database));
    }
}
