package io.mongoresume.job.precheck;

import com.mongodb.MongoException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.job.config.SyncType;
import org.bson.RawBsonDocument;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Whether the source has the change streams sync.type needs, tried by opening one on the first
 * selected collection and reading from it.
 */
final class ChangeStreamsCheck implements PrecheckStep {

    private static final String NAME = "change streams";
    private static final long AWAIT_MS = 300;

    private final boolean simulateNoChangeStreams;

    /**
     * @param simulateNoChangeStreams fail as a source without change streams would (a test aid)
     */
    ChangeStreamsCheck(boolean simulateNoChangeStreams) {
        this.simulateNoChangeStreams = simulateNoChangeStreams;
    }

    @Override
    public List<CheckResult> run(PrecheckContext context) {
        SyncType syncType = context.plan().sync();
        List<String> selected = context.selected();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("syncType", syncType.toString());
        if (!syncType.hasChangeStream()) {
            data.put("needed", false);
            return List.of(CheckResult.pass(NAME, "not needed (sync.type=" + syncType + ")", data));
        }
        data.put("needed", true);
        if (simulateNoChangeStreams) {
            data.put("simulated", true);
            return unavailable(
                    syncType,
                    "and none are available (simulated by --simulate-no-change-streams). Use a replica"
                            + " set or sharded cluster, or sync.type=full",
                    data);
        }
        if (selected.isEmpty()) {
            return List.of(
                    CheckResult.warn(
                            NAME, "no selected collection to open a change stream on", data));
        }
        String database = CollectionSelection.databaseOf(selected.get(0));
        String collection = CollectionSelection.collectionOf(selected.get(0));
        try (MongoChangeStreamCursor<ChangeStreamDocument<RawBsonDocument>> cursor =
                context.source()
                        .client()
                        .getDatabase(database)
                        .getCollection(collection, RawBsonDocument.class)
                        .watch()
                        .maxAwaitTime(AWAIT_MS, TimeUnit.MILLISECONDS)
                        .cursor()) {
            cursor.tryNext();
        } catch (MongoException e) {
            return unavailable(
                    syncType,
                    "but opening one on "
                            + database
                            + "."
                            + collection
                            + " failed: "
                            + MongoConnectionOptions.mask(e.getMessage())
                            + ". Change streams need a replica set or sharded cluster (and the"
                            + " changeStream privilege)",
                    data);
        }
        data.put("openedOn", collection);
        return List.of(
                CheckResult.pass(
                        NAME,
                        "opened a change stream on "
                                + database
                                + "."
                                + collection
                                + " and read from it (tryNext)",
                        data));
    }

    /** A FAIL with the data gathered so far (unlike {@link CheckResult#fail}, which has none). */
    private static List<CheckResult> unavailable(
            SyncType syncType, String why, Map<String, Object> data) {
        return List.of(
                new CheckResult(
                        CheckStatus.FAIL,
                        NAME,
                        "sync.type=" + syncType + " needs change streams, " + why,
                        data));
    }
}
