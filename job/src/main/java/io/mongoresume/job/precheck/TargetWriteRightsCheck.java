package io.mongoresume.job.precheck;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import org.bson.Document;

import java.util.List;
import java.util.Map;

import static io.mongoresume.job.precheck.Precheck.SCRATCH_COLLECTION;

/**
 * Whether the target user can write, tried for real: inserts and deletes a probe document in
 * {@value Precheck#SCRATCH_COLLECTION} of the target database, then drops that collection.
 */
final class TargetWriteRightsCheck implements PrecheckStep {

    private static final String NAME = "target write rights";

    @Override
    public List<CheckResult> run(PrecheckContext context) {
        String database = context.target().database();
        MongoCollection<Document> scratch =
                context.target().client().getDatabase(database).getCollection(SCRATCH_COLLECTION);
        String probed = database + "." + SCRATCH_COLLECTION;
        try {
            Document probe = new Document("_id", "precheck-" + System.nanoTime());
            scratch.insertOne(probe);
            scratch.deleteOne(new Document("_id", probe.get("_id")));
            scratch.drop();
        } catch (MongoException e) {
            return List.of(
                    CheckResult.fail(
                            NAME,
                            "probe write to "
                                    + probed
                                    + " failed"
                                    + ServerRefusal.describe(e)
                                    + ". Grant the user readWrite on "
                                    + database));
        }
        return List.of(
                CheckResult.pass(
                        NAME,
                        "inserted and deleted a probe document in "
                                + probed
                                + ", then dropped that collection",
                        Map.of("scratchCollection", SCRATCH_COLLECTION)));
    }
}
