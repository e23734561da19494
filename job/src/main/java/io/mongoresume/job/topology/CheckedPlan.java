package io.mongoresume.job.topology;

import io.mongoresume.connectors.cdc.offset.StartPosition;
import io.mongoresume.job.plan.MigrationPlan;
import io.mongoresume.job.precheck.Preflight;

import javax.annotation.Nullable;

import java.util.List;

/**
 * A plan checked against both deployments, ready to be built: its source namespaces ({@code
 * db.collection}, sorted) as they are at this start and where its change streams start on a fresh
 * start (null without change streams).
 */
public record CheckedPlan(
        MigrationPlan plan, List<String> namespaces, @Nullable StartPosition start) {

    public CheckedPlan {
        namespaces = List.copyOf(namespaces);
    }

    /**
     * Runs the pre-flight checks ({@link Preflight}), resolves the collections and the change
     * streams' start: what every entry point does before it builds the job.
     *
     * @param resuming whether the job resumes from a savepoint or checkpoint
     */
    public static CheckedPlan check(MigrationPlan plan, boolean resuming) {
        List<String> namespaces = Preflight.check(plan, resuming);
        return new CheckedPlan(
                plan,
                namespaces,
                plan.start()
                        .resolve(
                                plan.sourceConnection(),
                                namespaces,
                                plan.sourceDatabase() != null ? plan.sourceDatabase() : "admin"));
    }
}
