package io.mongoresume.job.precheck;

import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.job.plan.MigrationPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CollectionsCheckTest {

    private static final List<String> EXISTING = List.of("customers", "orders", "orders_2025");

    @Test
    void namedCollectionsThatExistAreSelectedEvenWhenOthersAreMissing() {
        List<String> selected = new ArrayList<>();
        CheckResult result =
                CollectionsCheck.select(
                        config("source.collections", "refunds;orders;invoices"),
                        EXISTING,
                        selected);
        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.line())
                .isEqualTo(
                        "FAIL collections: source.collections names collections that database 'shop' does not"
                                + " have: [invoices, refunds]. It has: customers, orders, orders_2025");
        assertThat(selected).containsExactly("orders");
        assertThat(result.data()).containsEntry("missing", List.of("invoices", "refunds"));
    }

    @Test
    void aNameInAnEmptyDatabaseSaysItHasNone() {
        CheckResult result =
                CollectionsCheck.select(
                        config("source.collections", "orders"), List.of(), new ArrayList<>());
        assertThat(result.detail()).endsWith("does not have: [orders]. It has: no collections");
    }

    /** A regex, the check's line, and what it selects. */
    static Stream<Arguments> regexes() {
        return Stream.of(
                Arguments.of(
                        "orders.*",
                        "PASS collections: 2 selected in shop: orders, orders_2025",
                        List.of("orders", "orders_2025")),
                Arguments.of(
                        "order",
                        "FAIL collections: source.collection-regex 'order' matches no collection of database"
                                + " 'shop'. It has: customers, orders, orders_2025",
                        List.of()));
    }

    /** Whole names only: {@code order} matches none of orders, orders_2025. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("regexes")
    void theRegexSelectsWholeNamesOnly(String regex, String line, List<String> expected) {
        List<String> selected = new ArrayList<>();
        CheckResult result =
                CollectionsCheck.select(
                        config("source.collection-regex", regex), EXISTING, selected);
        assertThat(result.line()).isEqualTo(line);
        assertThat(selected).containsExactlyElementsOf(expected);
    }

    private static CollectionSelection config(String key, String value) {
        return MigrationPlan.fromRaw(
                        Map.of(
                                "source.uri",
                                "mongodb://localhost:27017",
                                "source.database",
                                "shop",
                                "target.uri",
                                "mongodb://localhost:27018",
                                key,
                                value))
                .selection();
    }
}
