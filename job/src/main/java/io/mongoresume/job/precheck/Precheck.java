package io.mongoresume.job.precheck;

import io.mongoresume.job.plan.MigrationPlan;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The checks of {@code precheck}: everything a migration needs from both deployments, tried for
 * real (a find, a probe write, an opened change stream) rather than inferred from the topology.
 * Read-only on the source; on the target it writes one probe document into {@value
 * #SCRATCH_COLLECTION} and drops that collection again.
 *
 * <p>Each check is a {@link PrecheckStep}; this class only runs them in report order on one shared
 * {@link PrecheckContext}, skipping those whose deployment did not answer.
 */
public final class Precheck {

    /** Scratch collection on the target for the write probe; dropped again by the check. */
    public static final String SCRATCH_COLLECTION = "__mongo_resume_precheck";

    public static final int DEFAULT_SAMPLE_SIZE = 1000;
    public static final long DEFAULT_DOCS_PER_SECOND = 5000;

    private static final Set<Side> SOURCE = Set.of(Side.SOURCE);
    private static final Set<Side> TARGET = Set.of(Side.TARGET);
    private static final Set<Side> BOTH = Set.of(Side.SOURCE, Side.TARGET);

    /** A step and the deployments it talks to: it runs only when each of them answered. */
    record Scheduled(Set<Side> needs, PrecheckStep step) {}

    private final MigrationPlan config;
    private final List<Scheduled> steps;

    public Precheck(
            MigrationPlan config,
            boolean simulateNoChangeStreams,
            long docsPerSecond,
            int sampleSize) {
        this.config = checkNotNull(config);
        checkArgument(docsPerSecond > 0, "docs per second must be positive");
        checkArgument(sampleSize > 0, "sample size must be positive");
        this.steps =
                List.of(
                        new Scheduled(Set.of(), new ConnectionCheck(Side.SOURCE)),
                        new Scheduled(Set.of(), new ConnectionCheck(Side.TARGET)),
                        new Scheduled(SOURCE, new CollectionsCheck()),
                        new Scheduled(SOURCE, new NamespaceMapCheck()),
                        new Scheduled(SOURCE, new SourceReadRightsCheck()),
                        new Scheduled(TARGET, new TargetWriteRightsCheck()),
                        new Scheduled(BOTH, new TargetIsNotSourceCheck()),
                        new Scheduled(BOTH, new TargetOwnersCheck()),
                        new Scheduled(SOURCE, new ChangeStreamsCheck(simulateNoChangeStreams)),
                        new Scheduled(SOURCE, new PerCollectionChecks(sampleSize)),
                        new Scheduled(BOTH, new TargetExistingDataCheck()),
                        new Scheduled(SOURCE, new OplogWindowCheck(docsPerSecond)));
    }

    /** For tests: runs {@code steps} instead of the checks of {@code precheck}. */
    Precheck(MigrationPlan config, List<Scheduled> steps) {
        this.config = checkNotNull(config);
        this.steps = List.copyOf(steps);
    }

    /** Runs every check and returns one result per check, in report order. */
    public List<CheckResult> run() {
        List<CheckResult> results = new ArrayList<>();
        try (PrecheckContext context = PrecheckContext.open(config)) {
            for (Scheduled scheduled : steps) {
                if (context.answered(scheduled.needs())) {
                    results.addAll(scheduled.step().run(context));
                }
            }
        }
        return results;
    }
}
