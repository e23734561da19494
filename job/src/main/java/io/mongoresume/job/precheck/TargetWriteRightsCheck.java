package io.mongoresume.job.precheck;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import org.bson.Document;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.mongoresume.job.precheck.Precheck.SCRATCH_COLLECTION;

/**
 * Whether the target user can write, tried for real: inserts and deletes a probe document in
 * {@value Precheck#SCRATCH_COLLECTION} of the target database (across databases: of each target
 * database of the selected namespaces), then drops that collection.
 */
final class TargetWriteRightsCheck implements PrecheckStep {

    private static final String NAME = "target write rights";

    @Override
    public List<CheckResult> run(PrecheckContext context) {
        List<String> databases = targetDatabases(context);
        if (databases.isEmpty()) {
            return List.of(
                    CheckResult.warn(
                            NAME,
                            "no selected collection, so no target database to probe",
                            Map.of()));
        }
        for (String database : databases) {
            String failure = probe(context, database);
            if (failure != null) {
                return List.of(CheckResult.fail(NAME, failure));
            }
        }
        String probed =
                databases.size() == 1
                        ? databases.get(0) + "." + SCRATCH_COLLECTION
                        : SCRATCH_COLLECTION + " of " + String.join(", ", databases);
        return List.of(
                CheckResult.pass(
                        NAME,
                        "inserted and deleted a probe document in "
                                + probed
                                + ", then dropped that collection",
                        Map.of("scratchCollection", SCRATCH_COLLECTION, "databases", databases)));
    }

    /** The target database, or across databases each one the map sends a selected namespace to. */
    private static List<String> targetDatabases(PrecheckContext context) {
        String database = context.target().database();
        if (database != null) {
            return List.of(database);
        }
        Set<String> databases = new TreeSet<>();
        for (String namespace : context.selected()) {
            databases.add(context.plan().target().target(namespace).getDatabaseName());
        }
        return new ArrayList<>(databases);
    }

    /** Why the probe write to {@code database} failed, or null when it worked. */
    @Nullable
    private static String probe(PrecheckContext context, String database) {
        MongoCollection<Document> scratch =
                context.target().client().getDatabase(database).getCollection(SCRATCH_COLLECTION);
        try {
            Document probe = new Document("_id", "precheck-" + System.nanoTime());
            scratch.insertOne(probe);
            scratch.deleteOne(new Document("_id", probe.get("_id")));
            scratch.drop();
            return null;
        } catch (MongoException e) {
            return "probe write to "
                    + database
                    + "."
                    + SCRATCH_COLLECTION
                    + " failed"
                    + ServerRefusal.describe(e)
                    + ". Grant the user readWrite on "
                    + database;
        }
    }
}
