package io.mongoresume.job.merge;

import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;

import io.mongoresume.connectors.event.MigrationEvent;

/**
 * Runs the {@link SnapshotCdcMergeFunction} and adds one step after a restore: every touched key
 * gets a release check. Keys touched by an earlier version of the job carry only an event-time
 * timer for the end of a bounded snapshot, which the snapshot beside a change stream never reaches
 * now; without this they would be released only when their document changes again. A key that has
 * its check already gets a second one, which costs a state lookup.
 */
public final class SnapshotCdcMergeOperator
        extends KeyedCoProcessOperator<String, MigrationEvent, MigrationEvent, MigrationEvent> {

    private static final long serialVersionUID = 1L;

    /** The timer service {@link KeyedCoProcessOperator} gives its function. */
    private static final String USER_TIMERS = "user-timers";

    private transient boolean restored;

    public SnapshotCdcMergeOperator(SnapshotCdcMergeFunction function) {
        super(function);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        restored = context.isRestored();
    }

    @Override
    public void open() throws Exception {
        super.open();
        if (!restored) {
            return;
        }
        InternalTimerService<VoidNamespace> timers =
                getInternalTimerService(USER_TIMERS, VoidNamespaceSerializer.INSTANCE, this);
        long at =
                getProcessingTimeService().getCurrentProcessingTime()
                        + SnapshotCdcMergeFunction.FIRST_RELEASE_CHECK_MILLIS;
        getKeyedStateBackend()
                .applyToAllKeys(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        SnapshotCdcMergeFunction.touchedDescriptor(),
                        (key, state) ->
                                timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, at));
    }
}
