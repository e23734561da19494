package io.mongoresume.job.precheck;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import io.mongoresume.connectors.common.UnrecoverableException;
import io.mongoresume.job.config.InvalidConfigException;
import io.mongoresume.job.plan.MigrationPlan;
import io.mongoresume.job.topology.MigrationJob;

import java.util.List;
import java.util.UUID;

/**
 * What every start of a job checks before the job graph is built (locally, on a cluster, in tests
 * and benchmarks): both deployments answer, the selection names collections that exist, the target
 * is not the source, and a fresh start's cdc.start-at is still in the source's oplog. Each failure
 * is an {@link InvalidConfigException} that says what to do; nothing has been written when it is
 * thrown.
 */
public final class Preflight {

    private Preflight() {}

    /**
     * @param resuming whether the job resumes from a savepoint or checkpoint (which keeps its claim
     *     on the target); a fresh start is refused when another migration owns a target namespace
     * @return the selected source namespaces ({@code db.collection}), sorted
     */
    public static List<String> check(MigrationPlan plan, boolean resuming) {
        List<String> namespaces = SourceCollections.resolve(plan);
        refuseCollidingTargets(plan, namespaces);
        refuseSameNamespaces(plan, namespaces);
        if (!resuming) {
            StartAtCheck.refuseLostHistory(plan);
            refuseOwnedTargets(plan, namespaces);
        }
        return namespaces;
    }

    /**
     * A fresh start onto namespaces another migration owns fails here already, with the owner
     * named; the job itself checks again before its first write (a resume is checked there, against
     * the id it restores).
     */
    static void refuseOwnedTargets(MigrationPlan plan, List<String> namespaces) {
        try {
            MigrationJob.ownership(plan)
                    .check(UUID.randomUUID().toString(), plan.target().namespaces(namespaces));
        } catch (UnrecoverableException e) {
            throw new InvalidConfigException(e.getMessage());
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof MongoException) {
                throw SourceCollections.unreachable(
                        plan.targetConnection(), "target", (MongoException) e.getCause());
            }
            throw e;
        }
    }

    /** Refuses a namespace map that sends two selected collections into one target collection. */
    static void refuseCollidingTargets(MigrationPlan plan, List<String> namespaces) {
        try {
            plan.target().namespaceMap().checkInjective(namespaces, false);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(e.getMessage() + " Nothing was written.");
        }
    }

    /** Refuses a target namespace that is a selected source namespace of the same deployment. */
    static void refuseSameNamespaces(MigrationPlan plan, List<String> namespaces) {
        SameNamespaceCheck.Overlap overlap;
        try (MongoClient source = plan.sourceConnection().createClient();
                MongoClient target = plan.targetConnection().createClient()) {
            overlap =
                    SameNamespaceCheck.find(
                            source,
                            target,
                            plan.target().namespaceMap(),
                            namespaces,
                            plan.sourceDatabase());
        } catch (MongoException e) {
            throw SourceCollections.unreachable(plan.targetConnection(), "target", e);
        }
        if (overlap != null) {
            throw new InvalidConfigException(sameNamespaceMessage(plan, overlap));
        }
    }

    public static String sameNamespaceMessage(
            MigrationPlan plan, SameNamespaceCheck.Overlap overlap) {
        return "The target is the source: source.uri "
                + plan.sourceConnection().maskedUri()
                + " and target.uri "
                + plan.targetConnection().maskedUri()
                + " reach the same deployment ("
                + overlap.evidence()
                + "), and "
                + sameNamespaceCause(plan)
                + "the job would write into the collections it reads ("
                + String.join(", ", overlap.collections())
                + ")"
                + " and target.existing-data="
                + plan.target().existingData()
                + " would apply to them. Set target.database to another database (or"
                + " target.namespace-map to namespaces the job does not read), or target.uri to"
                + " another deployment. Nothing was written.";
    }

    private static String sameNamespaceCause(MigrationPlan plan) {
        if (!plan.selection().isShorthand()) {
            return plan.target().namespaceMap().isIdentity()
                    ? "every selected namespace keeps its name, so "
                    : "the namespace map sends selected collections onto selected collections, so ";
        }
        return plan.target().namespaceMap().isIdentity()
                        || plan.targetDatabase().equals(plan.sourceDatabase())
                ? "the target database '" + plan.targetDatabase() + "' is the source database, so "
                : "the namespace map sends selected collections onto selected collections"
                        + " of database '"
                        + plan.sourceDatabase()
                        + "', so ";
    }
}
