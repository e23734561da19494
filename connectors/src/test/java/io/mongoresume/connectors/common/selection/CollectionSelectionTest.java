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
}
