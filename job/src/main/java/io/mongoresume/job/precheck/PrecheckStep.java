package io.mongoresume.job.precheck;

import java.util.List;

/**
 * One check of {@code precheck}: what it reports from the shared {@link PrecheckContext}. {@link
 * Precheck} decides the order and runs a step only when the deployments it talks to answered.
 */
interface PrecheckStep {

    /**
     * The report lines of this step, usually one; a step run per collection gives one line each.
     */
    List<CheckResult> run(PrecheckContext context);
}
