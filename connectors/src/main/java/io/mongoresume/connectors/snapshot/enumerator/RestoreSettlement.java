package io.mongoresume.connectors.snapshot.enumerator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * After a restore: the splits assigned at the checkpoint that no reader has yet said it holds
 * ({@link SplitsHeldEvent}), and the readers still to report. Once every reader reported, the
 * splits left were finished before the checkpoint (their finished event came after the enumerator's
 * part of it, and was lost with the restore).
 */
final class RestoreSettlement {

    /** Split id to namespace. */
    private final Map<String, String> inDoubt = new LinkedHashMap<>();

    private final Set<Integer> readersToReport = new TreeSet<>();

    /** Nothing to settle when no split was assigned at the checkpoint. */
    RestoreSettlement(Map<String, String> assignedAtCheckpoint, int parallelism) {
        if (!assignedAtCheckpoint.isEmpty()) {
            inDoubt.putAll(assignedAtCheckpoint);
            for (int i = 0; i < parallelism; i++) {
                readersToReport.add(i);
            }
        }
    }

    /** The split is no longer in doubt: reported finished, or given back. */
    void forget(String splitId) {
        inDoubt.remove(splitId);
    }

    /**
     * A reader's report of the splits it holds. Returns the splits found finished (split id to
     * namespace) when it was the last reader to report, else none.
     */
    Map<String, String> held(int subtaskId, List<String> held) {
        if (!readersToReport.remove(subtaskId)) {
            return Map.of(); // not settling a restore, or this reader reported already
        }
        held.forEach(inDoubt::remove);
        if (!readersToReport.isEmpty()) {
            return Map.of();
        }
        Map<String, String> finished = new LinkedHashMap<>(inDoubt);
        inDoubt.clear();
        return finished;
    }
}
