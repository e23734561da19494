package io.mongoresume.connectors.cdc.enumerator;

import com.mongodb.client.MongoClient;
import io.mongoresume.connectors.cdc.offset.ClusterTimeCapture;
import io.mongoresume.connectors.cdc.offset.StartPosition;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import org.bson.BsonTimestamp;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What a resume's job file changed in the selection, against the namespaces the breakpoint knows:
 * those no longer selected, whose streams end, and those it does not know, whose streams start.
 */
final class ResumedSelection {

    /** Namespaces selected at a resume that the breakpoint does not know, and their start. */
    record Added(List<String> namespaces, @Nullable BsonTimestamp start) {}

    private ResumedSelection() {}

    /** The known namespaces ({@code database.collection}) {@code selection} no longer selects. */
    static List<String> retired(CollectionSelection selection, Collection<String> known) {
        List<String> retired = new ArrayList<>();
        for (String namespace : known) {
            if (!selection.matchesNamespace(namespace)) {
                retired.add(namespace);
            }
        }
        return retired;
    }

    /**
     * Worker thread: the selected namespaces the breakpoint does not know (added to the list,
     * matched by a changed pattern, created while the job was stopped, in any database the
     * selection may match). With patterns their streams start at the last discovery poll before the
     * stop, as a poll would start them; with a list (whose first listing may be long ago) at this
     * start's position, which was taken before the job was submitted. Either is before their
     * snapshot reads anything.
     *
     * @param known the namespaces the breakpoint knows
     * @param lastPoll the restored time of the last discovery poll
     */
    static Added added(
            CollectionSelection selection,
            MongoClient client,
            Collection<String> known,
            @Nullable BsonTimestamp lastPoll,
            StartPosition startPosition) {
        List<String> added = new ArrayList<>();
        List<String> selected =
                selection.isList()
                        ? selection.listedNamespaces()
                        : selection.filterNamespaces(selection.eligibleNamespaces(client));
        for (String namespace : selected) {
            if (!known.contains(namespace)) {
                added.add(namespace);
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
                                client,
                                selection,
                                null,
                                startPosition.safetyMargin(),
                                "change-stream start of namespaces added to "
                                        + selection
                                        + " at a resume")
                        .time();
        return new Added(added, now);
    }
}
