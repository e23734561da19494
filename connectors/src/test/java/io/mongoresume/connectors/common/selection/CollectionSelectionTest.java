package io.mongoresume.connectors.common.selection;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CollectionSelectionTest {

    private static final List<String> EXISTING =
            List.of("orders", "customers", "system.views", "__mongo_resume", "order_lines");

    @Test
    void aListSelectsItsNamesSortedAndNeverGrows() {
        CollectionSelection selection =
                CollectionSelection.of("shop", List.of("orders", "customers"));

        assertThat(selection.resolve(EXISTING)).containsExactly("customers", "orders");
        assertThat(selection.matches("shop", "orders")).isTrue();
        assertThat(selection.matches("other", "orders")).isFalse();
        assertThat(selection.matches("order_lines")).isFalse();
        assertThat(selection.followsNewCollections()).isFalse();
        assertThat(selection.databases()).containsExactly("shop");
    }

    @Test
    void aListNamingMissingCollectionsSaysWhatExists() {
        CollectionSelection selection =
                CollectionSelection.of("shop", List.of("orders", "invoices", "system.js"));

        assertThatThrownBy(() -> selection.resolve(EXISTING))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "source.collections names collections that database 'shop' does not have:"
                                + " [invoices, system.js]. It has: customers, order_lines, orders");
    }

    @Test
    void aRegexMatchesWholeNamesAndNeverSystemOrOwnCollections() {
        CollectionSelection selection =
                CollectionSelection.matching("shop", "order.*|system\\..*|__.*");

        assertThat(selection.resolve(EXISTING)).containsExactly("order_lines", "orders");
        assertThat(selection.matches("orders_2027")).isTrue();
        assertThat(selection.matches("old_orders")).isFalse();
        assertThat(selection.matches("system.profile")).isFalse();
        assertThat(selection.followsNewCollections()).isTrue();
    }

    @Test
    void aRegexMatchingNothingSaysWhatExists() {
        CollectionSelection selection = CollectionSelection.matching("shop", "inv.*");

        assertThatThrownBy(() -> selection.resolve(EXISTING))
                .hasMessage(
                        "source.collection-regex 'inv.*' matches no collection of database 'shop'. It has:"
                                + " customers, order_lines, orders");
        assertThatThrownBy(() -> selection.resolve(List.of("system.views")))
                .hasMessageEndingWith("It has: no collections");
    }

    @Test
    void everythingSelectsEveryCopyableCollection() {
        CollectionSelection selection = CollectionSelection.everything("shop");

        assertThat(selection.filter(EXISTING))
                .containsExactly("customers", "order_lines", "orders");
        assertThat(selection).isEqualTo(CollectionSelection.matching("shop", ".*"));
    }

    @Test
    void badInputIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> CollectionSelection.matching("shop", "(orders"))
                .hasMessageStartingWith(
                        "Invalid value '(orders' for option 'source.collection-regex'");
        assertThatThrownBy(() -> CollectionSelection.of("shop", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CollectionSelection.of("", List.of("a")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static final List<String> NAMESPACES =
            List.of(
                    "shop.orders",
                    "shop.tmp_1",
                    "shop.system.views",
                    "crm.orders",
                    "crm.leads",
                    "tenant_7.events",
                    "tenant_x.events");

    private static List<NamespacePattern> patterns(String option, String... texts) {
        return java.util.Arrays.stream(texts).map(t -> NamespacePattern.parse(t, option)).toList();
    }

    @Test
    void namespacePatternsSelectAcrossDatabasesLessExclusions() {
        CollectionSelection selection =
                CollectionSelection.namespaces(
                        patterns(
                                "source.namespaces",
                                "shop.*",
                                "crm.orders",
                                "/^tenant_[0-9]+\\.events$/"),
                        patterns("source.exclude", "shop.tmp_*"));

        assertThat(selection.resolveNamespaces(NAMESPACES))
                .containsExactly("crm.orders", "shop.orders", "tenant_7.events");
        assertThat(selection.matches("shop", "new_one")).isTrue();
        assertThat(selection.matches("shop", "tmp_2")).isFalse();
        assertThat(selection.mayMatchDatabase("tenant_9")).isTrue();
        assertThat(selection.mayMatchDatabase("admin")).isFalse();
        assertThat(selection.followsNewCollections()).isTrue();
        assertThat(selection.knownDatabases()).isNull();
        assertThat(selection.homeDatabase()).isNull();
        assertThat(selection.toString())
                .isEqualTo("[shop.*, crm.orders, /^tenant_[0-9]+\\.events$/] except [shop.tmp_*]");
    }

    @Test
    void noPatternMeansEveryUserDatabaseNeverTheServersOwn() {
        CollectionSelection selection = CollectionSelection.namespaces(List.of(), List.of());

        assertThat(selection.matches("anything", "at_all")).isTrue();
        for (String db : List.of("admin", "local", "config")) {
            assertThat(selection.matches(db, "x")).as(db).isFalse();
        }
        assertThat(selection.matches("shop", "system.js")).isFalse();
        assertThat(selection.resolveNamespaces(NAMESPACES)).hasSize(6);
        assertThatThrownBy(() -> selection.resolveNamespaces(List.of()))
                .hasMessageContaining("No user database of the source has a collection to copy");
    }

    @Test
    void literalNamespacesAreAListThatMustExist() {
        CollectionSelection selection =
                CollectionSelection.namespaces(
                        patterns("source.namespaces", "crm.orders", "shop.invoices"), List.of());

        assertThat(selection.isList()).isTrue();
        assertThat(selection.knownDatabases()).containsExactly("crm", "shop");
        assertThat(selection.listedNamespaces()).containsExactly("crm.orders", "shop.invoices");
        assertThatThrownBy(() -> selection.resolveNamespaces(NAMESPACES))
                .hasMessageStartingWith(
                        "source.namespaces names a namespace the source does not have:"
                                + " [shop.invoices]. It has: ");
    }

    @Test
    void aPatternThatMatchesNothingIsNamed() {
        CollectionSelection selection =
                CollectionSelection.namespaces(
                        patterns("source.namespaces", "shop.*", "hr.*"), List.of());

        assertThatThrownBy(() -> selection.resolveNamespaces(NAMESPACES))
                .hasMessageStartingWith(
                        "Invalid value 'hr.*' for option 'source.namespaces': it matches no"
                                + " collection. The source has: ");
    }

    @Test
    void theShorthandResolvesNamespacesOfItsDatabaseAndTakesExclusions() {
        CollectionSelection selection =
                CollectionSelection.everything("shop")
                        .excluding(patterns("source.exclude", "shop.tmp_*"));

        assertThat(selection.resolveNamespaces(NAMESPACES)).containsExactly("shop.orders");
        assertThat(
                        CollectionSelection.of("shop", List.of("orders", "tmp_1"))
                                .excluding(patterns("source.exclude", "shop.tmp_*"))
                                .resolveNamespaces(NAMESPACES))
                .as("an exclusion applies to a listed collection too")
                .containsExactly("shop.orders");
        assertThat(selection.homeDatabase()).isEqualTo("shop");
        assertThat(CollectionSelection.databaseOf("shop.a.b")).isEqualTo("shop");
        assertThat(CollectionSelection.collectionOf("shop.a.b")).isEqualTo("a.b");
    }
}
