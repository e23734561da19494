package io.mongoresume.job.precheck;

import io.mongoresume.job.plan.MigrationPlan;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The runner without a server: the clients are opened but only the steps would use them. */
class PrecheckTest {

    private static final Set<Side> SOURCE = Set.of(Side.SOURCE);

    @Test
    void runsTheStepsInOrderAndSkipsThoseWhoseDeploymentDidNotAnswer() {
        Precheck precheck =
                afterSourceConnection(
                        new Precheck.Scheduled(Set.of(), context -> fail("target connection")),
                        new Precheck.Scheduled(SOURCE, context -> pass("collections")),
                        new Precheck.Scheduled(
                                Set.of(Side.TARGET), context -> pass("write rights")),
                        new Precheck.Scheduled(
                                Set.of(Side.SOURCE, Side.TARGET), context -> pass("target owners")),
                        new Precheck.Scheduled(SOURCE, context -> pass("oplog window")));
        assertThat(precheck.run())
                .extracting(CheckResult::name)
                .containsExactly(
                        "source connection", "target connection", "collections", "oplog window");
    }

    @Test
    void laterStepsReadWhatEarlierStepsRecordedAndReportEveryLine() {
        PrecheckStep select =
                context -> {
                    context.select(List.of("customers", "orders"));
                    context.addEstimatedDocuments(30);
                    context.addEstimatedDocuments(1);
                    return List.of();
                };
        PrecheckStep perCollection =
                context ->
                        context.selected().stream()
                                .map(c -> passed(c + " of " + context.estimatedDocuments()))
                                .toList();
        Precheck precheck =
                afterSourceConnection(
                        new Precheck.Scheduled(SOURCE, select),
                        new Precheck.Scheduled(SOURCE, perCollection));
        assertThat(precheck.run())
                .extracting(CheckResult::name)
                .containsExactly("source connection", "customers of 31", "orders of 31");
    }

    /** A precheck whose first step is a source connection that answers. */
    private static Precheck afterSourceConnection(Precheck.Scheduled... later) {
        List<Precheck.Scheduled> steps = new java.util.ArrayList<>();
        steps.add(new Precheck.Scheduled(Set.of(), answering(Side.SOURCE, "source connection")));
        steps.addAll(List.of(later));
        return new Precheck(config(), steps);
    }

    private static PrecheckStep answering(Side side, String name) {
        return context -> {
            context.answered(side);
            return pass(name);
        };
    }

    private static List<CheckResult> pass(String name) {
        return List.of(passed(name));
    }

    private static CheckResult passed(String name) {
        return CheckResult.pass(name, "ok", Map.of());
    }

    private static List<CheckResult> fail(String name) {
        return List.of(CheckResult.fail(name, "down"));
    }

    private static MigrationPlan config() {
        return MigrationPlan.fromRaw(
                Map.of(
                        "source.uri", "mongodb://127.0.0.1:1/?directConnection=true",
                        "source.database", "shop",
                        "target.uri", "mongodb://127.0.0.1:2/?directConnection=true"));
    }
}
