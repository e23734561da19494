package io.mongoresume.job.topology;

import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import io.mongoresume.connectors.common.UnrecoverableException;
import io.mongoresume.connectors.destination.TargetOwnership;
import io.mongoresume.connectors.event.MigrationEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Stands right before the sink, so that nothing reaches the target before it has checked two
 * things, and keeps in every checkpoint and savepoint what it checks them against:
 *
 * <ul>
 *   <li><b>the plan</b>: the {@link PlanRecord} the breakpoint was taken with. On a resume a
 *       changed {@link PlanRecord#FIXED} option fails the job at once (no restart) with the key,
 *       both values and what to do; other changes are honoured and logged once;
 *   <li><b>the ownership</b> of the target namespaces ({@link TargetOwnership}) by this migration,
 *       whose id is drawn at its first start and kept here. Every start claims them (again): a
 *       resume, a fresh start (whose sources claimed them already, before preparing the target) and
 *       a restore of an earlier version's savepoint alike; a claim is refused while another
 *       migration's lease runs. Every completed checkpoint renews the lease (off the task thread),
 *       and a lost claim (taken over) stops the job.
 * </ul>
 *
 * <p>Events pass through unchanged. Union list state: every subtask gets the whole record back,
 * whatever the parallelism; subtask 0 writes it, renews the lease and logs.
 */
public final class BreakpointGuard
        extends KeyedProcessFunction<String, MigrationEvent, MigrationEvent>
        implements CheckpointedFunction, CheckpointListener {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(BreakpointGuard.class);

    private static final String PLAN_STATE = "plan-record";
    private static final String MIGRATION_STATE = "migration-id";

    private final PlanRecord plan;
    private final String freshMigrationId;
    private final TargetOwnership ownership;
    private final List<String> targetNamespaces;

    private transient ListState<String> planState;
    private transient ListState<String> migrationState;
    private transient String migrationId;
    @Nullable private transient ExecutorService renewals;
    @Nullable private transient Future<?> renewal;

    /** Set by a renewal that found another migration's claim. */
    @Nullable private transient volatile UnrecoverableException takenOver;

    /**
     * @param freshMigrationId the id of a migration that starts now; a resume keeps the one it
     *     restores
     */
    BreakpointGuard(
            PlanRecord plan,
            String freshMigrationId,
            TargetOwnership ownership,
            List<String> targetNamespaces) {
        this.plan = checkNotNull(plan);
        this.freshMigrationId = checkNotNull(freshMigrationId);
        this.ownership = checkNotNull(ownership);
        this.targetNamespaces = List.copyOf(targetNamespaces);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        planState =
                context.getOperatorStateStore()
                        .getUnionListState(new ListStateDescriptor<>(PLAN_STATE, Types.STRING));
        migrationState =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>(MIGRATION_STATE, Types.STRING));
        if (context.isRestored()) {
            Iterator<String> restoredId = migrationState.get().iterator();
            migrationId = restoredId.hasNext() ? restoredId.next() : freshMigrationId;
            checkPlan(PlanRecord.fromEntries(planState.get()));
        } else {
            // A fresh start, or a savepoint of an earlier version in which this task held no state
            // at all
            // (Flink then reports it as not restored): either way, claim under the id we have.
            migrationId = freshMigrationId;
        }
        // Idempotent for this migration's own claim, refused while another migration's lease runs.
        ownership.claim(migrationId, targetNamespaces);
    }

    private void checkPlan(PlanRecord restored) {
        boolean reporter = isReporter();
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
                + refused.stream()
                        .map(PlanRecord.Change::toString)
                        .collect(Collectors.joining("; "))
                + ". Resume with the savepoint's values, or start a new migration (without --from-savepoint,"
                + " or flink run without -s) for the new ones; to migrate further collections, run a separate"
                + " job for them. Nothing was written.";
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        planState.clear();
        migrationState.clear();
        if (isReporter()) {
            planState.addAll(plan.toEntries());
            migrationState.add(migrationId);
        }
    }

    /**
     * Renews the lease off the task thread, so that a slow or stalled target never holds up the
     * records passing through here (or a stop-with-savepoint). A renewal that finds the claim taken
     * over fails the job at the next record or checkpoint.
     */
    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        failIfTakenOver();
        if (!isReporter() || (renewal != null && !renewal.isDone())) {
            return;
        }
        if (renewals == null) {
            renewals =
                    Executors.newSingleThreadExecutor(
                            r -> {
                                Thread t = new Thread(r, "mongo-resume ownership renewal");
                                t.setDaemon(true);
                                return t;
                            });
        }
        Instant at = Instant.now();
        renewal =
                renewals.submit(
                        () -> {
                            try {
                                ownership.renew(migrationId, targetNamespaces, at);
                            } catch (UnrecoverableException e) {
                                takenOver = e;
                            } catch (RuntimeException e) {
                                LOG.warn(
                                        "Could not renew this job's claim on the target after checkpoint {}"
                                                + " (tried again after the next one): {}",
                                        checkpointId,
                                        e.getMessage());
                            }
                        });
    }

    private void failIfTakenOver() {
        UnrecoverableException e = takenOver;
        if (e != null) {
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        if (renewals != null) {
            renewals.shutdownNow();
        }
        super.close();
    }

    private boolean isReporter() {
        return getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
    }

    @Override
    public void processElement(MigrationEvent event, Context ctx, Collector<MigrationEvent> out) {
        failIfTakenOver();
        out.collect(event);
    }
}
