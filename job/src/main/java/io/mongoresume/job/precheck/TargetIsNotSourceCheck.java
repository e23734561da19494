package io.mongoresume.job.precheck;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.job.plan.MigrationPlan;

import java.util.List;
import java.util.Map;

/**
 * Fails when the target namespaces are the source ones, even when both are reached under other
 * names.
 */
final class TargetIsNotSourceCheck implements PrecheckStep {

    private static final String NAME = "target is not the source";

    @Override
    public List<CheckResult> run(PrecheckContext context) {
        MigrationPlan config = context.plan();
        String sourceDatabase = context.source().database();
        String targetDatabase = context.target().database();
        boolean shorthand = config.selection().isShorthand();
        SameNamespaceCheck.Overlap overlap;
        try {
            overlap =
                    SameNamespaceCheck.find(
                            context.source().client(),
                            context.target().client(),
                            config.target().namespaceMap(),
                            context.selected(),
                            sourceDatabase);
        } catch (RuntimeException e) {
            String why = MongoConnectionOptions.mask(e.getMessage());
            return List.of(CheckResult.fail(NAME, "could not be checked: " + why));
        }
        if (overlap != null) {
            return List.of(CheckResult.fail(NAME, Preflight.sameNamespaceMessage(config, overlap)));
        }
        return List.of(
                CheckResult.pass(
                        NAME,
                        !shorthand
                                ? "no selected namespace is written onto a selected namespace of"
                                        + " the same deployment"
                                : sourceDatabase.equals(targetDatabase)
                                        ? "the target deployment is not the source deployment"
                                        : "target database "
                                                + targetDatabase
                                                + " is not the source database",
                        Map.of()));
    }
}
