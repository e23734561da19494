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
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

import io.mongoresume.connectors.event.EventKind;
import io.mongoresume.connectors.event.MigrationEvent;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkState;

/**
 * Merges the snapshot with the change stream (design §5): once any change event for a key has been
 * processed, snapshot rows for that key are dropped. Snapshot rows of keys CDC has not touched and all change
 * events are emitted unchanged.
 *
 * <p>Input 1 carries {@link EventKind#SNAPSHOT_ROW}s, input 2 change and DDL events; both must be keyed by
 * {@link MigrationEvent#key()} (namespace + canonical {@code _id}, so {@code 1}, {@code 1L} and {@code 1.0}
 * meet on one key). The only state per key is "touched by CDC"; a delete touches its key too and so acts as
 * the tombstone that keeps a stale snapshot row of a deleted document from resurrecting it. DDL events key by
 * namespace, never meet a snapshot row and pass through without state.
 *
 * <p><b>Releasing the state</b> uses event time as a "snapshot finished" signal, which makes the following
 * watermark contract part of the job's wiring:
 *
 * <ul>
 *   <li>the snapshot input emits no watermarks while it runs and must never be marked idle; when the bounded
 *       snapshot source finishes, Flink sends {@code MAX_WATERMARK} on it (also when it is restored as
 *       finished);
 *   <li>the CDC input carries the watermark {@value #SNAPSHOT_DONE_WATERMARK} ({@code Long.MAX_VALUE - 1})
 *       from its start.
 * </ul>
 *
 * <p>The combined watermark is therefore the snapshot input's: below {@link #SNAPSHOT_DONE_WATERMARK} while
 * any snapshot subtask still runs, and exactly {@link #SNAPSHOT_DONE_WATERMARK} once all have finished. A key
 * touched before that gets an event-time timer at {@link #SNAPSHOT_DONE_WATERMARK} that clears its state; change
 * events that arrive after it pass straight through without creating state. Should the snapshot input ever be
 * idle or emit watermarks of its own, state would be released early and stale rows could win: keep the
 * contract.
 *
 * <p>Metrics (operator group): {@value #SNAPSHOT_ROWS_EMITTED}, {@value #SNAPSHOT_ROWS_DROPPED}, {@value
 * #CHANGE_EVENTS_EMITTED} and the gauge {@value #KEYS_IN_STATE}. The gauge counts per subtask, is kept in
 * operator state so that it survives a savepoint resume, and after a rescale only its sum over the subtasks is
 * exact (the per-subtask counts are redistributed with the list state, not with the key groups).
 */
public class SnapshotCdcMergeFunction
        extends KeyedCoProcessFunction<String, MigrationEvent, MigrationEvent, MigrationEvent>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;

    /**
     * The watermark the CDC input always carries and the combined watermark reaches once the snapshot input
     * sends {@code MAX_WATERMARK}: the "snapshot finished" signal and the time of every state-clearing timer.
     */
    public static final long SNAPSHOT_DONE_WATERMARK = Long.MAX_VALUE - 1;

    public static final String SNAPSHOT_ROWS_EMITTED = "snapshotRowsEmitted";
    public static final String SNAPSHOT_ROWS_DROPPED = "snapshotRowsDropped";
    public static final String CHANGE_EVENTS_EMITTED = "changeEventsEmitted";
    public static final String KEYS_IN_STATE = "keysInState";

    private static final String TOUCHED_STATE_NAME = "touched-by-cdc";
    private static final String KEYS_IN_STATE_STATE_NAME = "keys-in-state";
    private static final String DROPPED_NAMESPACES_STATE_NAME = "dropped-namespaces";

    private transient ValueState<Boolean> touchedByCdc;
    private transient ListState<Long> keysInStateCheckpoint;
    /**
     * Namespaces whose drop this subtask has passed on. A drop is a delete of every key of the collection,
     * so, like a per-key delete, it makes every later snapshot row of that collection stale (rows of a
     * re-created collection are covered by the change stream, which started before the snapshot). Union
     * list state: tiny, and every subtask gets all of it back on restore.
     */
    private transient ListState<String> droppedNamespacesCheckpoint;

    private transient Set<String> droppedNamespaces;
    /** Keys of this subtask with touched state; read by the gauge, only touched on the task thread. */
    private transient volatile long keysInState;

    private transient Counter snapshotRowsEmitted;
    private transient Counter snapshotRowsDropped;
    private transient Counter changeEventsEmitted;

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        keysInStateCheckpoint =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>(KEYS_IN_STATE_STATE_NAME, Types.LONG));
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
                                new ListStateDescriptor<>(DROPPED_NAMESPACES_STATE_NAME, Types.STRING));
        droppedNamespaces = new HashSet<>();
        if (context.isRestored()) {
            for (String namespace : droppedNamespacesCheckpoint.get()) {
                droppedNamespaces.add(namespace);
            }
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        keysInStateCheckpoint.update(Collections.singletonList(keysInState));
        droppedNamespacesCheckpoint.update(new ArrayList<>(droppedNamespaces));
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        touchedByCdc =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>(TOUCHED_STATE_NAME, Types.BOOLEAN));
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        snapshotRowsEmitted = metrics.counter(SNAPSHOT_ROWS_EMITTED);
        snapshotRowsDropped = metrics.counter(SNAPSHOT_ROWS_DROPPED);
        changeEventsEmitted = metrics.counter(CHANGE_EVENTS_EMITTED);
        metrics.gauge(KEYS_IN_STATE, () -> keysInState);
    }

    @Override
    public void processElement1(MigrationEvent row, Context ctx, Collector<MigrationEvent> out)
            throws Exception {
        checkArgument(
                row.kind() == EventKind.SNAPSHOT_ROW, "Input 1 takes snapshot rows, got %s", row);
        checkKey(row, ctx);
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
        if (!event.kind().isDdl()
                && ctx.timerService().currentWatermark() < SNAPSHOT_DONE_WATERMARK
                && touchedByCdc.value() == null) {
            touchedByCdc.update(Boolean.TRUE);
            ctx.timerService().registerEventTimeTimer(SNAPSHOT_DONE_WATERMARK);
            keysInState++;
        }
        out.collect(event);
        changeEventsEmitted.inc();
    }

    /** The snapshot has finished: no row can arrive for this key any more, so its state can go. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MigrationEvent> out)
            throws Exception {
        if (touchedByCdc.value() != null) {
            touchedByCdc.clear();
            keysInState--;
        }
    }

    /**
     * A key other than {@link MigrationEvent#key()} (e.g. a raw {@code byte[]} or the namespace) would let a
     * row and the events of its document meet on different keys and the merge would silently break.
     */
    private static void checkKey(MigrationEvent event, Context ctx) {
        checkState(
                event.key().equals(ctx.getCurrentKey()),
                "The merge inputs must be keyed by MigrationEvent::key; %s arrived under another key",
                event);
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
