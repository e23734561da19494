package io.mongoresume.connectors.common.selection;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamespaceMapTest {

    @Test
    void theFirstMatchingRuleWinsAndTheRestKeepTheirNames() {
        NamespaceMap map =
                NamespaceMap.parse(
                        List.of("crm.orders -> sales.orders", "crm.* -> crm_v2.*", "shop.* -> x.*"),
                        null);

        assertThat(map.target("crm", "orders").getFullName()).isEqualTo("sales.orders");
        assertThat(map.target("crm", "leads").getFullName()).isEqualTo("crm_v2.leads");
        assertThat(map.target("hr", "people").getFullName()).isEqualTo("hr.people");
        assertThat(map.isIdentity()).isFalse();
    }

    @Test
    void wildcardsOfTheTargetTakeWhatTheSourcesMatchedInOrder() {
        NamespaceMap map =
                NamespaceMap.parse(List.of("*.events_* -> archive.*_*", "a?.x -> b*.x"), null);

        assertThat(map.target("tenant1", "events_2024").getFullName())
                .isEqualTo("archive.tenant1_2024");
        assertThat(map.target("a7", "x").getFullName()).isEqualTo("b7.x");
    }

    @Test
    void regexRulesUseGroups() {
        NamespaceMap map =
                NamespaceMap.parse(List.of("/tenant_([0-9]+)\\.(.*)/ -> tenants.$1_$2"), null);

        assertThat(map.target("tenant_42", "events").getFullName()).isEqualTo("tenants.42_events");
        assertThat(map.target("crm", "events").getFullName()).isEqualTo("crm.events");
    }

    @Test
    void theTargetDatabaseIsTheFallback() {
        NamespaceMap map = NamespaceMap.parse(List.of("shop.orders -> sales.orders"), "copy");

        assertThat(map.target("shop", "orders").getFullName()).isEqualTo("sales.orders");
        assertThat(map.target("shop", "customers").getFullName()).isEqualTo("copy.customers");
        assertThat(NamespaceMap.identity().target("shop", "a").getFullName()).isEqualTo("shop.a");
        assertThat(NamespaceMap.identity().isIdentity()).isTrue();
    }

    @Test
    void aRuleWithoutAnArrowSaysHowToWriteOne() {
        assertThatThrownBy(() -> NamespaceMap.parse(List.of("shop.* shop_v2.*"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "Invalid value 'shop.* shop_v2.*' for option 'target.namespace-map': a rule"
                                + " is 'source-pattern -> target', e.g. 'shop.* -> shop_v2.*' or"
                                + " 'crm.orders -> sales.orders'.");
    }

    @Test
    void badTargetsAreRefusedWhenParsed() {
        assertThatThrownBy(() -> NamespaceMap.parse(List.of("shop.* -> shop_v2"), null))
                .hasMessage(
                        "Invalid value 'shop.* -> shop_v2' for option 'target.namespace-map': the"
                                + " target is database.collection.");
        assertThatThrownBy(() -> NamespaceMap.parse(List.of("shop.orders -> a.*"), null))
                .hasMessage(
                        "Invalid value 'shop.orders -> a.*' for option 'target.namespace-map': the"
                                + " target uses 1 wildcard(s) or group(s) but the source pattern has"
                                + " 0.");
        assertThatThrownBy(() -> NamespaceMap.parse(List.of("shop.* -> bad db.*"), null))
                .hasMessageStartingWith(
                        "Invalid value 'shop.* -> bad db.*' for option 'target.namespace-map':"
                                + " 'bad db' is not a valid database name");
        assertThatThrownBy(() -> NamespaceMap.parse(List.of("a.b -> c.d"), "bad.db"))
                .hasMessageStartingWith(
                        "Invalid value 'bad.db' for option 'target.database': 'bad.db' is not a"
                                + " valid database name");
    }

    @Test
    void aGlobRuleThatDropsAWildcardIsRefused() {
        assertThatThrownBy(() -> NamespaceMap.parse(List.of("*.orders -> all.orders"), null))
                .hasMessage(
                        "Invalid value '*.orders -> all.orders' for option 'target.namespace-map':"
                                + " the target must repeat each of the source's 1 wildcard(s) with"
                                + " *, else two namespaces could land in one collection (use a regex"
                                + " between slashes to drop a part on purpose).");
    }

    @Test
    void twoLiteralRulesOntoOneTargetAreRefusedWhenParsed() {
        assertThatThrownBy(() -> NamespaceMap.parse(List.of("a.x -> t.x", "b.x -> t.x"), null))
                .hasMessage(
                        "Invalid value for option 'target.namespace-map': rules 'a.x -> t.x' and"
                                + " 'b.x -> t.x' map two source namespaces to 't.x'. Each target"
                                + " namespace can receive one source namespace.");
    }

    @Test
    void twoExistingNamespacesOntoOneTargetAreRefusedNamingBoth() {
        NamespaceMap map = NamespaceMap.parse(List.of("/.*\\.orders/ -> all.orders"), null);

        assertThatThrownBy(() -> map.checkInjective(List.of("shop.orders", "crm.orders"), false))
                .hasMessage(
                        "Option 'target.namespace-map' [/.*\\.orders/ -> all.orders] maps both"
                                + " 'crm.orders' and 'shop.orders' to 'all.orders': their documents"
                                + " would mix in one collection. Map one of them elsewhere, or leave"
                                + " one out of the selection.");
        NamespaceMap.parse(List.of("shop.* -> all.*"), null)
                .checkInjective(List.of("shop.orders", "crm.orders"), false);
    }

    @Test
    void theTargetDatabaseShorthandCollidesToo() {
        NamespaceMap map = NamespaceMap.parse(List.of(), "copy");

        assertThatThrownBy(() -> map.checkInjective(List.of("a.orders", "b.orders"), false))
                .hasMessageStartingWith(
                        "Option 'target.database' ('copy') maps both 'a.orders' and 'b.orders' to"
                                + " 'copy.orders'");
    }

    @Test
    void onTheSameDeploymentAMapOntoASelectedSourceNamespaceIsRefused() {
        NamespaceMap map =
                NamespaceMap.parse(
                        List.of("shop.orders -> shop.customers", "shop.customers -> shop.archive"),
                        null);
        List<String> selected = List.of("shop.orders", "shop.customers");

        map.checkInjective(selected, false);
        map.checkInjective(List.of("shop.orders"), true);
        assertThatThrownBy(() -> map.checkInjective(selected, true))
                .hasMessage(
                        "Option 'target.namespace-map' [shop.orders -> shop.customers,"
                                + " shop.customers -> shop.archive] maps 'shop.orders' onto"
                                + " 'shop.customers', which this job also copies from the same"
                                + " deployment: the copy would overwrite a source collection and"
                                + " read its own writes. Map it to a namespace that is not"
                                + " selected.");
    }

    @Test
    void aCaptureThatMakesAnInvalidNamespaceIsAnErrorNamingTheRule() {
        NamespaceMap map = NamespaceMap.parse(List.of("/([^.]*)\\.(.*)/ -> $2.$1"), null);

        assertThatThrownBy(() -> map.target("shop", "my orders"))
                .hasMessageStartingWith(
                        "Option 'target.namespace-map' rule '/([^.]*)\\.(.*)/ -> $2.$1' maps 'shop.my orders'");
    }
}
