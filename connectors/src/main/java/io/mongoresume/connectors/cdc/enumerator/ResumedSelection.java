package io.mongoresume.connectors.cdc.enumerator;

import com.mongodb.client.MongoDatabase;
import io.mongoresume.connectors.cdc.offset.ClusterTimeCapture;
import io.mongoresume.connectors.cdc.offset.StartPosition;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import org.bson.BsonTimestamp;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What a resume's job file changed in the selection, against the collections the breakpoint knows:
 * those no longer selected, whose streams end, and those it does not know, whose streams start.
 */
final class ResumedSelection {

    /** Collections selected at a resume that the breakpoint does not know, and their start. */
    record Added(List<String> collections, @Nullable BsonTimestamp start) {}

    private ResumedSelection() {}

    /** The known collections {@code selection} no longer selects. */
    static List<String> retired(
            CollectionSelection selection, String database, Collection<String> known) {
        List<String> retired = new ArrayList<>();
        for (String collection : known) {
            if (!selection.matches(database, collection)) {
                retired.add(collection);
            }
        }
        return retired;
    }

    /**
     * Worker thread: the selected collections the breakpoint does not know (added to the list,
     * matched by a changed regex, created while the job was stopped). With a regex their streams
     * start at the last discovery poll before the stop, as a poll would start them; with a list
     * (whose first listing may be long ago) at this start's position, which was taken before the
     * job was submitted. Either is before their snapshot reads anything.
     *
     * @param lastPoll the restored time of the last discovery poll
     */
    static Added added(
            CollectionSelection selection,
            MongoDatabase db,
            Collection<String> known,
            @Nullable BsonTimestamp lastPoll,
            StartPosition startPosition) {
        List<String> added = new ArrayList<>();
        List<String> selected =
                selection.isList()
                        ? selection.collections()
                        : selection.filter(CollectionSelection.eligible(db));
        for (String collection : selected) {
            if (!known.contains(collection)) {
                added.add(collection);
            }
        }
        if (added.isEmpty()) {
            return new Added(added, null);
        }
        if (!selection.isList() && lastPoll != null) {
            return new Added(added, lastPoll);
        }
        if (startPosition.operationTime() != null && !startPosition.isCaptured()) {
            return new Added(added, startPosition.operationTime());
        }
        BsonTimestamp now =
                ClusterTimeCapture.captureTime(
                                db,
                                null,
                                startPosition.safetyMargin(),
                                "change-stream start of collections added to "
                                        + db.getName()
                                        + " at a resume")
                        .time();
        return new Added(added, now);
    }
}
