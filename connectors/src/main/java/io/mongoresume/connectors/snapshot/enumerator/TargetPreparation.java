package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.api.connector.source.SplitEnumeratorContext;

import io.mongoresume.connectors.common.CollectionPreparer;
import io.mongoresume.connectors.snapshot.SnapshotSourceOptions;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static io.mongoresume.connectors.common.selection.CollectionSelection.collectionOf;
import static io.mongoresume.connectors.common.selection.CollectionSelection.databaseOf;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The target preparation of a migration start (existing data kept, cleared or dropped, missing
 * collections created with the source's options, the source's indexes), which happens before
 * anything is written:
 *
 * <ul>
 *   <li>only after the first reader registered ({@link SnapshotPhases} waits for it);
 *   <li>for every selected collection before the first one is partitioned, each recorded as
 *       prepared in the enumerator's state as it is done, so a restore never prepares it again;
 *   <li>then recorded at the target as {@code prepared:<migration id>}, once per source database
 *       (in the database {@link CollectionPreparer} keeps it for that source database), which the
 *       change streams wait for;
 *   <li>a fresh attempt of the same start (a failover before the first completed checkpoint
 *       restarts every operator without state) finds that record and only creates what is missing
 *       ({@link CollectionPreparer#prepareKeeping}), so changes written since are not undone;
 *       collections that appear after the start are prepared the same way.
 * </ul>
 */
final class TargetPreparation {

    private final SplitEnumeratorContext<SnapshotSplit> context;
    private final SnapshotSourceOptions options;

    /** The migration's first start: what the preparation is recorded under. */
    private final String migrationId;

    private final BooleanSupplier closed;

    TargetPreparation(
            SplitEnumeratorContext<SnapshotSplit> context,
            SnapshotSourceOptions options,
            String migrationId,
            BooleanSupplier closed) {
        this.context = checkNotNull(context);
        this.options = checkNotNull(options);
        this.migrationId = checkNotNull(migrationId);
        this.closed = checkNotNull(closed);
    }

    /**
     * Worker thread: prepares the target of every collection before any split is read (and before
     * the change streams may write: they wait for {@link CollectionPreparer#isComplete}). Reports
     * each collection prepared and then the end through the coordinator thread.
     *
     * <p>The preparer works per source database, so the namespaces are grouped by database: each
     * database's collections are claimed, and once every collection is prepared each database's
     * preparation is recorded. As the records are written only after all collections are prepared,
     * a record of any database says that this start prepared its target: collections found then (an
     * earlier attempt of this start prepared them, or they appeared since, also in a database new
     * to the job) are only created where missing, never cleared or dropped.
     *
     * @param unprepared the namespaces to prepare
     * @param all every namespace of the migration so far (the records name them)
     */
    Void prepare(
            List<String> unprepared, List<String> all, Consumer<String> prepared, Runnable done)
            throws Exception {
        CollectionPreparer preparer = options.collectionPreparer();
        Map<String, List<String>> claimed = byDatabase(unprepared);
        Map<String, List<String>> everything = byDatabase(all);
        for (Map.Entry<String, List<String>> e : claimed.entrySet()) {
            preparer.claim(migrationId, e.getKey(), e.getValue());
        }
        if (preparedBefore(preparer, everything.keySet())) {
            // Changes may have been written already: create what is missing, never clear or drop.
            for (String namespace : unprepared) {
                preparer.prepareKeeping(databaseOf(namespace), collectionOf(namespace));
            }
            for (Map.Entry<String, List<String>> e : everything.entrySet()) {
                if (!preparer.isComplete(migrationId, e.getKey())) {
                    preparer.complete(migrationId, e.getKey(), e.getValue());
                }
            }
        } else {
            for (String namespace : unprepared) {
                if (closed.getAsBoolean()) {
                    throw new CancellationException("Snapshot enumerator closed");
                }
                preparer.prepare(databaseOf(namespace), collectionOf(namespace));
                context.runInCoordinatorThread(() -> prepared.accept(namespace));
            }
            for (Map.Entry<String, List<String>> e : everything.entrySet()) {
                preparer.complete(migrationId, e.getKey(), e.getValue());
            }
        }
        context.runInCoordinatorThread(done);
        return null;
    }

    /** Whether this start recorded the preparation of any of the databases. */
    private boolean preparedBefore(CollectionPreparer preparer, Set<String> databases)
            throws Exception {
        for (String database : databases) {
            if (preparer.isComplete(migrationId, database)) {
                return true;
            }
        }
        return false;
    }

    /** Collection names by source database, both in the order given. */
    private static Map<String, List<String>> byDatabase(List<String> namespaces) {
        Map<String, List<String>> grouped = new LinkedHashMap<>();
        for (String namespace : namespaces) {
            grouped.computeIfAbsent(databaseOf(namespace), db -> new ArrayList<>())
                    .add(collectionOf(namespace));
        }
        return grouped;
    }
}
