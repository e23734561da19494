package io.mongoresume.job.preflight;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;

import java.util.List;

import io.mongoresume.job.config.InvalidConfigException;
import io.mongoresume.job.config.MigrationConfig;

/**
 * What every start of a job checks before the job graph is built (locally, on a cluster, in tests and
 * benchmarks): both deployments answer, the selection names collections that exist, and the target is not the
 * source. Each failure is an {@link InvalidConfigException} that says what to do; nothing has been written
 * when it is thrown.
 */
public final class Preflight {

    private Preflight() {}

    /** @return the selected source collections, sorted by name */
    public static List<String> check(MigrationConfig config) {
        List<String> collections = SourceCollections.resolve(config);
        refuseSameNamespaces(config, collections);
        return collections;
    }

    /** Refuses a target namespace that is a selected source namespace of the same deployment. */
    static void refuseSameNamespaces(MigrationConfig config, List<String> collections) {
        SameNamespaceCheck.Overlap overlap;
        try (MongoClient source = config.sourceConnection().createClient();
                MongoClient target = config.targetConnection().createClient()) {
            overlap =
                    SameNamespaceCheck.find(
                            source, target, config.sourceDatabase(), config.targetDatabase(), collections);
        } catch (MongoException e) {
            throw SourceCollections.unreachable(config.targetConnection(), "target", e);
        }
        if (overlap != null) {
            throw new InvalidConfigException(sameNamespaceMessage(config, overlap));
        }
    }

    public static String sameNamespaceMessage(MigrationConfig config, SameNamespaceCheck.Overlap overlap) {
        return "The target is the source: source.uri "
                + config.sourceConnection().maskedUri()
                + " and target.uri "
                + config.targetConnection().maskedUri()
                + " reach the same deployment ("
                + overlap.evidence()
                + "), and the target database '"
                + config.targetDatabase()
                + "' is the source database, so the job would write into the collections it reads ("
                + String.join(", ", overlap.collections())
                + ")"
                + " and target.existing-data="
                + config.get(io.mongoresume.job.config.MigrationOptions.TARGET_EXISTING_DATA)
                + " would apply to them. Set target.database to another database, or target.uri to another"
                + " deployment. Nothing was written.";
    }
}
