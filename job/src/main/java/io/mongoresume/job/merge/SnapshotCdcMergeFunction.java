package io.mongoresume.job.merge;

import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

import io.mongoresume.connectors.cdc.MaxWatermarkGenerator;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.event.EventKeys;
import io.mongoresume.connectors.event.EventKind;
import io.mongoresume.connectors.event.MigrationEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkState;

/**
 * Merges the snapshot with the change stream (docs/design.md §5): once any change event for a key
 * has been processed, snapshot rows for that key are dropped. Snapshot rows of keys CDC has not
 * touched and all change events are emitted unchanged.
 *
 * <p>Input 1 carries {@link EventKind#SNAPSHOT_ROW}s, input 2 change and DDL events; both must be
 * keyed by {@link MigrationEvent#key()} (namespace + canonical {@code _id}, so {@code 1}, {@code
 * 1L} and {@code 1.0} meet on one key). The only state per key is "touched by CDC"; a delete
 * touches its key too and so acts as the tombstone that keeps a stale snapshot row of a deleted
 * document from resurrecting it. DDL events key by namespace, never meet a snapshot row and pass
 * through without state.
 *
 * <p><b>Releasing the state, per collection.</b> The snapshot source beside a change stream never
 * ends (it snapshots collections that appear later). When every reader has emitted all rows of a
 * collection, each sends every merge subtask a {@link EventKind#SNAPSHOT_DONE} marker on input 1,
 * after those rows; once a subtask has the marker of every reader, no row of that collection can
 * reach it any more: the collection is done here, its change events pass through without state, and
 * the state of its keys goes at their next check (a processing-time timer per touched key, 1 s
 * after the touch and then at ever longer intervals up to 10 min, so a long snapshot costs few
 * timer firings). Done collections are kept in union operator state (with aligned checkpoints, a
 * collection done at one subtask at a checkpoint has had all its rows delivered to every subtask
 * before it).
 *
 * <p><b>Releasing the state when the snapshot source ends</b> (a job restored from a savepoint of
 * an earlier version whose bounded snapshot had finished) uses event time as a "snapshot finished"
 * signal, which makes the following watermark contract part of the job's wiring:
 *
 * <ul>
 *   <li>the snapshot input emits no watermarks while it runs and must never be marked idle; when
 *       the bounded snapshot source finishes, Flink sends {@code MAX_WATERMARK} on it (also when it
 *       is restored as finished);
 *   <li>the CDC input carries the watermark {@value #SNAPSHOT_DONE_WATERMARK} ({@code
 *       Long.MAX_VALUE - 1}) from its start.
 * </ul>
 *
 * <p>The combined watermark is therefore the snapshot input's: below {@link
 * #SNAPSHOT_DONE_WATERMARK} while any snapshot subtask still runs, and exactly {@link
 * #SNAPSHOT_DONE_WATERMARK} once all have finished; then every collection is done. Keys touched
 * under an earlier version have event-time timers at {@link #SNAPSHOT_DONE_WATERMARK}, which fire
 * then. Should the snapshot input ever be idle or emit watermarks of its own, state would be
 * released early and stale rows could win: keep the contract.
 *
 * <p>Metrics (operator group): {@value #SNAPSHOT_ROWS_EMITTED}, {@value #SNAPSHOT_ROWS_DROPPED},
 * {@value #CHANGE_EVENTS_EMITTED} and the gauge {@value #KEYS_IN_STATE}. The gauge counts per
 * subtask, is kept in operator state so that it survives a savepoint resume, and after a rescale
 * only its sum over the subtasks is exact (the per-subtask counts are redistributed with the list
 * state, not with the key groups).
 */
public class SnapshotCdcMergeFunction
        extends KeyedCoProcessFunction<String, MigrationEvent, MigrationEvent, MigrationEvent>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCdcMergeFunction.class);

    private final SelectedNamespaces selected;

    /** A merge of every namespace its inputs carry. */
    public SnapshotCdcMergeFunction() {
        this(null);
    }

    /**
     * A merge that releases the state of keys of namespaces {@code selection} no longer selects
     * (the job file changed at a resume), as their release checks after the restore come due.
     */
    public SnapshotCdcMergeFunction(@Nullable CollectionSelection selection) {
        this.selected = new SelectedNamespaces(selection);
    }

    /**
     * The watermark the CDC input always carries and the combined watermark reaches once the
     * snapshot input sends {@code MAX_WATERMARK}: the "snapshot finished" signal and the time of
     * every state-clearing timer.
     */
    public static final long SNAPSHOT_DONE_WATERMARK = MaxWatermarkGenerator.WATERMARK;

    public static final String SNAPSHOT_ROWS_EMITTED = "snapshotRowsEmitted";
    public static final String SNAPSHOT_ROWS_DROPPED = "snapshotRowsDropped";
    public static final String CHANGE_EVENTS_EMITTED = "changeEventsEmitted";
    public static final String KEYS_IN_STATE = "keysInState";

    private static final String TOUCHED_STATE_NAME = "touched-by-cdc";
    private static final String KEYS_IN_STATE_STATE_NAME = "keys-in-state";
    private static final String DROPPED_NAMESPACES_STATE_NAME = "dropped-namespaces";
    private static final String TOUCHED_AT_STATE_NAME = "touched-at";
    private static final String DONE_NAMESPACES_STATE_NAME = "snapshot-done-namespaces";

    /**
     * First check of a touched key after this long; each later one waits as long as the key has
     * been held.
     */
    static final long FIRST_RELEASE_CHECK_MILLIS = 1_000;

    static final long MAX_RELEASE_CHECK_MILLIS = 10 * 60 * 1000;

    private transient ValueState<Boolean> touchedByCdc;

    /**
     * When the key was touched (processing time); absent for keys touched by an earlier version.
     */
    private transient ValueState<Long> touchedAt;

    private transient ListState<String> doneNamespacesCheckpoint;

    /** Collections whose snapshot every reader has finished, as far as this subtask knows. */
    private transient Set<String> doneNamespaces;

    /**
     * Per collection not yet done: the readers whose marker arrived, and how many readers there
     * are.
     */
    private transient Map<String, BitSet> markersSeen;

    private transient ListState<Long> keysInStateCheckpoint;

    /**
     * Namespaces whose drop this subtask has passed on. A drop is a delete of every key of the
     * collection, so, like a per-key delete, it makes every later snapshot row of that collection
     * stale (rows of a re-created collection are covered by the change stream, which started before
     * the snapshot). Union list state: tiny, and every subtask gets all of it back on restore.
     */
    private transient ListState<String> droppedNamespacesCheckpoint;

    private transient Set<String> droppedNamespaces;

    /** Checks of touched keys so far, for tests. */
    private transient long releaseChecks;

    /**
     * Keys of this subtask with touched state; read by the gauge, only touched on the task thread.
     */
    private transient volatile long keysInState;

    private transient Counter snapshotRowsEmitted;
    private transient Counter snapshotRowsDropped;
    private transient Counter changeEventsEmitted;

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        keysInStateCheckpoint =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(KEYS_IN_STATE_STATE_NAME, Types.LONG));
        long restored = 0;
        if (context.isRestored()) {
            for (Long count : keysInStateCheckpoint.get()) {
                restored += count;
            }
        }
        keysInState = restored;
        droppedNamespacesCheckpoint =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>(
                                        DROPPED_NAMESPACES_STATE_NAME, Types.STRING));
        droppedNamespaces = new HashSet<>();
        if (context.isRestored()) {
            for (String namespace : droppedNamespacesCheckpoint.get()) {
                droppedNamespaces.add(namespace);
            }
        }
        doneNamespacesCheckpoint =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>(
                                        DONE_NAMESPACES_STATE_NAME, Types.STRING));
        doneNamespaces = new HashSet<>();
        if (context.isRestored()) {
            for (String namespace : doneNamespacesCheckpoint.get()) {
                doneNamespaces.add(namespace);
            }
        }
        markersSeen = new HashMap<>();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        keysInStateCheckpoint.update(Collections.singletonList(keysInState));
        droppedNamespacesCheckpoint.update(new ArrayList<>(droppedNamespaces));
        doneNamespacesCheckpoint.update(new ArrayList<>(doneNamespaces));
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        touchedByCdc = getRuntimeContext().getState(touchedDescriptor());
        touchedAt =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>(TOUCHED_AT_STATE_NAME, Types.LONG));
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        snapshotRowsEmitted = metrics.counter(SNAPSHOT_ROWS_EMITTED);
        snapshotRowsDropped = metrics.counter(SNAPSHOT_ROWS_DROPPED);
        changeEventsEmitted = metrics.counter(CHANGE_EVENTS_EMITTED);
        metrics.gauge(KEYS_IN_STATE, () -> keysInState);
    }

    @Override
    public void processElement1(MigrationEvent row, Context ctx, Collector<MigrationEvent> out)
            throws Exception {
        checkKey(row, ctx);
        if (row.kind() == EventKind.SNAPSHOT_DONE) {
            onSnapshotDone(row);
            return;
        }
        checkArgument(
                row.kind() == EventKind.SNAPSHOT_ROW, "Input 1 takes snapshot rows, got %s", row);
        if (touchedByCdc.value() != null || droppedNamespaces.contains(row.namespace())) {
            snapshotRowsDropped.inc();
            return;
        }
        out.collect(row);
        snapshotRowsEmitted.inc();
    }

    @Override
    public void processElement2(MigrationEvent event, Context ctx, Collector<MigrationEvent> out)
            throws Exception {
        checkArgument(event.kind().isChange(), "Input 2 takes change events, got %s", event);
        checkKey(event, ctx);
        if (event.kind() == EventKind.DROP_COLLECTION) {
            droppedNamespaces.add(event.namespace());
        }
        if (!event.kind().isDdl()) {
            boolean done = isDone(event.namespace(), ctx);
            if (!done && touchedByCdc.value() == null) {
                long now = ctx.timerService().currentProcessingTime();
                touchedByCdc.update(Boolean.TRUE);
                touchedAt.update(now);
                ctx.timerService().registerProcessingTimeTimer(now + FIRST_RELEASE_CHECK_MILLIS);
                // Also when the snapshot source ends (the bounded one of a job restored from an
                // earlier version).
                ctx.timerService().registerEventTimeTimer(SNAPSHOT_DONE_WATERMARK);
                keysInState++;
            } else if (done && touchedByCdc.value() != null) {
                release(); // touched before its collection was done (under an earlier version, say)
            }
        }
        out.collect(event);
        changeEventsEmitted.inc();
    }

    /**
     * A touched key's check: once its collection is done no row can arrive for it any more, so its
     * state goes; until then the next check waits as long as the key has been held (at least 1 s,
     * at most 10 min).
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MigrationEvent> out)
            throws Exception {
        if (touchedByCdc.value() == null) {
            return;
        }
        releaseChecks++;
        String namespace = EventKeys.namespaceOf(ctx.getCurrentKey());
        if (isDone(namespace, ctx) || !selected.contains(namespace, keysInState)) {
            release();
            return;
        }
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            return; // below SNAPSHOT_DONE_WATERMARK it cannot fire; the processing-time checks go
            // on
        }
        long now = ctx.timerService().currentProcessingTime();
        Long since = touchedAt.value();
        if (since == null) {
            since = now; // touched under an earlier version: checks start now
            touchedAt.update(since);
        }
        long wait =
                Math.min(
                        Math.max(now - since, FIRST_RELEASE_CHECK_MILLIS),
                        MAX_RELEASE_CHECK_MILLIS);
        ctx.timerService().registerProcessingTimeTimer(now + wait);
    }

    private void release() throws Exception {
        touchedByCdc.clear();
        touchedAt.clear();
        keysInState--;
    }

    /** No snapshot row of the namespace can arrive any more (at this subtask). */
    private boolean isDone(String namespace, Context ctx) {
        return doneNamespaces.contains(namespace)
                || ctx.timerService().currentWatermark() >= SNAPSHOT_DONE_WATERMARK;
    }

    /** One reader's marker; with every reader's, the collection is done at this subtask. */
    private void onSnapshotDone(MigrationEvent marker) {
        String namespace = marker.namespace();
        if (doneNamespaces.contains(namespace)) {
            return;
        }
        org.bson.RawBsonDocument body = marker.document();
        int reader = body.getInt32("reader").getValue();
        int readers = body.getInt32("readers").getValue();
        BitSet seen = markersSeen.computeIfAbsent(namespace, n -> new BitSet(readers));
        seen.set(reader);
        if (seen.cardinality() >= readers) {
            markersSeen.remove(namespace);
            doneNamespaces.add(namespace);
            if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
                LOG.info(
                        "Snapshot of {} is done at the merge (every reader sent its last row): its change"
                                + " events pass through without state, and the state of its keys is released",
                        namespace);
            }
        }
    }

    /**
     * A key other than {@link MigrationEvent#key()} (e.g. a raw {@code byte[]} or the namespace)
     * would let a row and the events of its document meet on different keys and the merge would
     * silently break.
     */
    private static void checkKey(MigrationEvent event, Context ctx) {
        checkState(
                event.key().equals(ctx.getCurrentKey()),
                "The merge inputs must be keyed by MigrationEvent::key; %s arrived under another key",
                event);
    }

    /** The state "touched by a change event" of a key. */
    static ValueStateDescriptor<Boolean> touchedDescriptor() {
        return new ValueStateDescriptor<>(TOUCHED_STATE_NAME, Types.BOOLEAN);
    }

    @VisibleForTesting
    long releaseChecks() {
        return releaseChecks;
    }

    @VisibleForTesting
    long keysInState() {
        return keysInState;
    }

    @VisibleForTesting
    long snapshotRowsEmitted() {
        return snapshotRowsEmitted.getCount();
    }

    @VisibleForTesting
    long snapshotRowsDropped() {
        return snapshotRowsDropped.getCount();
    }

    @VisibleForTesting
    long changeEventsEmitted() {
        return changeEventsEmitted.getCount();
    }
}
