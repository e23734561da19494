package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.api.connector.source.SplitEnumeratorContext;

import io.mongoresume.connectors.common.CollectionPreparer;
import io.mongoresume.connectors.snapshot.SnapshotSourceOptions;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

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
 *   <li>then recorded at the target as {@code prepared:<migration id>}, which the change streams
 *       wait for;
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
     */
    Void prepare(
            List<String> unprepared, List<String> all, Consumer<String> prepared, Runnable done)
            throws Exception {
        CollectionPreparer preparer = options.collectionPreparer();
        preparer.claim(migrationId, options.database(), unprepared);
        if (preparer.isComplete(migrationId, options.database())) {
            // Prepared before (by an earlier attempt of this start, or these appeared since):
            // changes may
            // have been written already, so create what is missing and never clear or drop.
            for (String name : unprepared) {
                preparer.prepareKeeping(options.database(), name);
            }
        } else {
            for (String name : unprepared) {
                if (closed.getAsBoolean()) {
                    throw new CancellationException("Snapshot enumerator closed");
                }
                preparer.prepare(options.database(), name);
                context.runInCoordinatorThread(() -> prepared.accept(name));
            }
            preparer.complete(migrationId, options.database(), all);
        }
        context.runInCoordinatorThread(done);
        return null;
    }
}
