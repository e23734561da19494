package io.mongoresume.job.topology;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.stream.Collectors;

import io.mongoresume.connectors.common.UnrecoverableException;
import io.mongoresume.connectors.event.MigrationEvent;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Stands right before the sink and keeps the job's {@link PlanRecord} in every checkpoint and savepoint. On a
 * resume it compares the record with the job file before a single event reaches the sink: a change of a
 * {@link PlanRecord#FIXED} option fails the job at once (no restart) with the key, both values and what to do;
 * other changes are honoured and logged once. Events pass through unchanged.
 *
 * <p>Union list state: every subtask gets the whole record back, whatever the parallelism.
 */
final class PlanGuard extends KeyedProcessFunction<String, MigrationEvent, MigrationEvent>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(PlanGuard.class);

    private static final String STATE_NAME = "plan-record";

    private final PlanRecord plan;

    private transient ListState<String> state;

    PlanGuard(PlanRecord plan) {
        this.plan = checkNotNull(plan);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        state =
                context.getOperatorStateStore()
                        .getUnionListState(new ListStateDescriptor<>(STATE_NAME, Types.STRING));
        if (!context.isRestored()) {
            return;
        }
        PlanRecord restored = PlanRecord.fromEntries(state.get());
        boolean reporter = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
        if (restored.isEmpty()) {
            if (reporter) {
                LOG.info(
                        "The checkpoint or savepoint holds no record of the options it was taken with (an"
                                + " earlier version of the job wrote it); the job file is taken as it is");
            }
            return;
        }
        PlanRecord.Differences differences = restored.differencesTo(plan);
        if (!differences.refused().isEmpty()) {
            throw new UnrecoverableException(refusal(differences.refused()));
        }
        if (reporter && !differences.honoured().isEmpty()) {
            LOG.info(
                    "Resuming with options changed since the checkpoint or savepoint (honoured): {}",
                    differences.honoured().stream()
                            .map(PlanRecord.Change::toString)
                            .collect(Collectors.joining("; ")));
        }
    }

    static String refusal(List<PlanRecord.Change> refused) {
        return "Refusing to resume: the job file differs from the checkpoint or savepoint in what decides which"
                + " documents go where, which cannot change during a migration: "
                + refused.stream().map(PlanRecord.Change::toString).collect(Collectors.joining("; "))
                + ". Resume with the savepoint's values, or start a new migration (without --from-savepoint,"
                + " or flink run without -s) for the new ones; to migrate further collections, run a separate"
                + " job for them. Nothing was written.";
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        state.clear();
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            state.addAll(plan.toEntries());
        }
    }

    @Override
    public void processElement(MigrationEvent event, Context ctx, Collector<MigrationEvent> out) {
        out.collect(event);
    }
}
