package io.mongoresume.job.precheck;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.destination.TargetOwnership;
import io.mongoresume.job.plan.MigrationPlan;
import io.mongoresume.job.topology.MigrationJob;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which migrations own the target namespaces (a fresh start onto them is refused while they do).
 */
final class TargetOwnersCheck implements PrecheckStep {

    private static final String NAME = "target owners";

    @Override
    public List<CheckResult> run(PrecheckContext context) {
        MigrationPlan config = context.plan();
        List<TargetOwnership.Owner> owners;
        try {
            owners =
                    MigrationJob.ownership(config)
                            .owners(config.target().namespaces(context.selected()));
        } catch (RuntimeException e) {
            String why = MongoConnectionOptions.mask(e.getMessage());
            return List.of(CheckResult.fail(NAME, "could not be read: " + why));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        Map<String, String> byNamespace = new TreeMap<>();
        owners.forEach(o -> byNamespace.put(o.namespace(), o.describe()));
        data.put("owners", byNamespace);
        if (owners.isEmpty()) {
            return List.of(
                    CheckResult.pass(NAME, "no migration owns the target collections", data));
        }
        Instant now = Instant.now();
        boolean live = owners.stream().anyMatch(o -> o.leaseRunning(now));
        String detail =
                owners.stream()
                                .map(o -> o.namespace() + " by " + o.describe())
                                .collect(Collectors.joining("; "))
                        + (live
                                ? ". A new job onto them is refused while a lease runs (resume that"
                                        + " migration, or set target.take-over=true); resuming it is fine"
                                : ". Every lease has run out: a new job takes them over");
        return List.of(
                live ? CheckResult.warn(NAME, detail, data) : CheckResult.pass(NAME, detail, data));
    }
}
