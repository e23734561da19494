package io.mongoresume.job.precheck;

import com.mongodb.client.MongoClient;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.job.plan.MigrationPlan;

import javax.annotation.Nullable;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * What the checks of one {@code precheck} run share: the validated config, one open client per
 * deployment (opened and closed once for all checks), and the facts earlier checks established for
 * later ones: which deployments answered, which collections are selected, how many documents the
 * snapshot would copy.
 */
final class PrecheckContext implements AutoCloseable {

    /**
     * One deployment as the checks see it: how it is reached, its open client and its database
     * (null when the job spans databases: the source without source.database, the target without
     * target.database).
     */
    record Deployment(
            MongoConnectionOptions connection, MongoClient client, @Nullable String database) {

        /** Where to send commands that need a database: its database, else admin. */
        String commandDatabase() {
            return database != null ? database : "admin";
        }
    }

    private final MigrationPlan config;
    private final Deployment source;
    private final Deployment target;
    private final Set<Side> answered = EnumSet.noneOf(Side.class);
    private List<String> selected = List.of();
    private long estimatedDocuments;

    private PrecheckContext(MigrationPlan config, Deployment source, Deployment target) {
        this.config = config;
        this.source = source;
        this.target = target;
    }

    /** Opens a client on each deployment; neither is contacted before a check uses it. */
    static PrecheckContext open(MigrationPlan config) {
        checkNotNull(config);
        MongoConnectionOptions sourceConn = config.sourceConnection();
        MongoConnectionOptions targetConn = config.targetConnection();
        MongoClient sourceClient = sourceConn.createClient();
        try {
            return new PrecheckContext(
                    config,
                    new Deployment(sourceConn, sourceClient, config.sourceDatabase()),
                    new Deployment(targetConn, targetConn.createClient(), config.targetDatabase()));
        } catch (RuntimeException e) {
            sourceClient.close();
            throw e;
        }
    }

    /** The validated options; each check reads the ones it uses at its top. */
    MigrationPlan plan() {
        return config;
    }

    Deployment deployment(Side side) {
        return side == Side.SOURCE ? source : target;
    }

    Deployment source() {
        return deployment(Side.SOURCE);
    }

    Deployment target() {
        return deployment(Side.TARGET);
    }

    /** Records that a deployment answered, so the steps that need it run. */
    void answered(Side side) {
        answered.add(checkNotNull(side));
    }

    boolean answered(Set<Side> sides) {
        return answered.containsAll(sides);
    }

    /**
     * The selected source namespaces ({@code db.collection}, sorted), as {@link CollectionsCheck}
     * chose them; empty before it ran.
     */
    List<String> selected() {
        return selected;
    }

    void select(List<String> namespaces) {
        this.selected = Collections.unmodifiableList(namespaces);
    }

    /** The sum of the estimated counts of the selected collections measured so far. */
    long estimatedDocuments() {
        return estimatedDocuments;
    }

    void addEstimatedDocuments(long documents) {
        estimatedDocuments += documents;
    }

    @Override
    public void close() {
        // Reverse order of opening, as try-with-resources would close them.
        try {
            target.client().close();
        } finally {
            source.client().close();
        }
    }
}
