package io.mongoresume.connectors.common.selection;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamespacePatternTest {

    private static final String OPTION = "source.namespaces";

    @Test
    void aGlobMatchesTheWholeNamespaceAndItsDatabasePartNarrowsTheDatabases() {
        NamespacePattern shop = NamespacePattern.parse("shop.*", OPTION);

        assertThat(shop.matches("shop", "orders")).isTrue();
        assertThat(shop.matches("shop", "a.b")).isTrue();
        assertThat(shop.matches("shopping", "orders")).isFalse();
        assertThat(shop.mayMatchDatabase("shop")).isTrue();
        assertThat(shop.mayMatchDatabase("crm")).isFalse();
        assertThat(shop.isLiteral()).isFalse();
    }

    @Test
    void globCharactersOtherThanWildcardsAreLiterals() {
        NamespacePattern pattern = NamespacePattern.parse("t(1)+.ord?r_*", OPTION);

        assertThat(pattern.matches("t(1)+", "order_2024")).isTrue();
        assertThat(pattern.matches("t1", "order_2024")).isFalse();
        assertThat(pattern.matches("t(1)+", "ordr_x")).isFalse();
    }

    @Test
    void aGlobOverEveryDatabase() {
        NamespacePattern system = NamespacePattern.parse("*.system.*", OPTION);

        assertThat(system.matches("shop", "system.views")).isTrue();
        assertThat(system.matches("shop", "orders")).isFalse();
        assertThat(system.mayMatchDatabase("anything")).isTrue();
    }

    @Test
    void aLiteralNamesOneNamespace() {
        NamespacePattern orders = NamespacePattern.parse(" crm.orders ", OPTION);

        assertThat(orders.isLiteral()).isTrue();
        assertThat(orders.matches("crm", "orders")).isTrue();
        assertThat(orders.matches("crm", "orders2")).isFalse();
        assertThat(orders).hasToString("crm.orders");
    }

    @Test
    void aRegexBetweenSlashesMustMatchTheWholeNamespace() {
        NamespacePattern tenants = NamespacePattern.parse("/tenant_[0-9]+\\.events/", OPTION);

        assertThat(tenants.matches("tenant_12", "events")).isTrue();
        assertThat(tenants.matches("tenant_12", "events_old")).isFalse();
        assertThat(tenants.matches("xtenant_12", "events")).isFalse();
        assertThat(tenants.mayMatchDatabase("crm")).isTrue();
        assertThat(tenants.isRegex()).isTrue();
        assertThat(tenants).hasToString("/tenant_[0-9]+\\.events/");
    }

    @Test
    void anInvalidRegexNamesTheOptionAndTheValue() {
        assertThatThrownBy(() -> NamespacePattern.parse("/tenant_[0-9/", OPTION))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "Invalid value '/tenant_[0-9/' for option 'source.namespaces': not a regular"
                                + " expression (");
    }

    @Test
    void aGlobWithoutACollectionPartSaysHowToWriteIt() {
        assertThatThrownBy(() -> NamespacePattern.parse("shop", OPTION))
                .hasMessage(
                        "Invalid value 'shop' for option 'source.namespaces': a namespace is"
                                + " database.collection, e.g. 'shop.*' (a glob), or a regular"
                                + " expression between slashes.");
        assertThatThrownBy(() -> NamespacePattern.parse("shop.", OPTION))
                .hasMessageContaining("a namespace is database.collection");
        assertThatThrownBy(() -> NamespacePattern.parse(" ", OPTION))
                .hasMessage(
                        "Invalid value '' for option 'source.namespaces': a namespace pattern is"
                                + " empty.");
    }
}
