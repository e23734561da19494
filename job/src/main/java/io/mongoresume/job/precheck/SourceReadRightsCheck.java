package io.mongoresume.job.precheck;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import org.bson.Document;
import org.bson.RawBsonDocument;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether the source user can read every selected collection, tried with a find on each, plus what
 * connectionStatus says about that user where the server tells.
 */
final class SourceReadRightsCheck implements PrecheckStep {

    private static final String NAME = "source read rights";

    @Override
    public List<CheckResult> run(PrecheckContext context) {
        MongoClient source = context.source().client();
        String database = context.source().database();
        List<String> selected = context.selected();
        MongoDatabase db = source.getDatabase(database);
        for (String collection : selected) {
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
        Map<String, Object> data = new LinkedHashMap<>(privileges(source, database));
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

    private static Map<String, Object> privileges(MongoClient client, String database) {
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
        return privileges(status, database);
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
