package io.mongoresume.connectors.snapshot;

import org.apache.flink.api.connector.source.Boundedness;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.common.selection.NamespacePattern;
import io.mongoresume.connectors.event.MigrationEventTypeInfo;
import io.mongoresume.connectors.snapshot.enumerator.partition.PartitionStrategy;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MongoSnapshotSourceBuilderTest {

    private static MongoSnapshotSourceBuilder valid() {
        return MongoSnapshotSource.builder()
                .connection(
                        MongoConnectionOptions.of("mongodb://user:secret@localhost:27017", 1000))
                .database("shop")
                .collections(List.of("orders"));
    }

    @Test
    void defaults() {
        MongoSnapshotSource source = valid().build();
        SnapshotSourceOptions o = source.options();
        assertThat(o.partitionStrategy()).isEqualTo(PartitionStrategy.COUNT);
        assertThat(o.partitionSize()).isEqualTo(500_000L);
        assertThat(o.partitionCount()).isEqualTo(100);
        assertThat(o.batchReadLimit()).isEqualTo(3000);
        assertThat(o.fetchSize()).isEqualTo(100);
        assertThat(o.noCursorTimeout()).isFalse();
        assertThat(source.getBoundedness()).isEqualTo(Boundedness.BOUNDED);
        assertThat(source.getProducedType()).isSameAs(MigrationEventTypeInfo.INSTANCE);
        assertThat(source.toString()).contains("user:****@").doesNotContain("secret");
    }

    @Test
    void rejectsBadValuesWithClearMessages() {
        assertThatThrownBy(() -> valid().partitionSize(0))
                .hasMessage("partitionSize must be at least 1, was 0");
        assertThatThrownBy(() -> valid().partitionCount(-2))
                .hasMessage("partitionCount must be at least 1, was -2");
        assertThatThrownBy(() -> valid().batchReadLimit(0))
                .hasMessage("batchReadLimit must be at least 1, was 0");
        assertThatThrownBy(() -> valid().fetchSize(0))
                .hasMessage("fetchSize must be at least 1, was 0");
        assertThatThrownBy(() -> valid().fetchSize(500).batchReadLimit(100).build())
                .hasMessage("fetchSize (500) must not exceed batchReadLimit (100)");
        assertThatThrownBy(() -> valid().database("a.b"))
                .hasMessageContaining("database 'a.b' is not a valid");
        assertThatThrownBy(() -> valid().collections(List.of()))
                .hasMessageContaining("at least one");
        assertThatThrownBy(() -> valid().collections(List.of("a", "a")))
                .hasMessageContaining("'a' twice");
        assertThatThrownBy(() -> valid().collectionRegex("("))
                .hasMessageContaining("collectionRegex '(' is not a valid");
        assertThatThrownBy(() -> valid().collectionRegex("o.*").build())
                .hasMessageContaining(
                        "exactly one of collections (explicit list) or collectionRegex")
                .hasMessageContaining("both");
        assertThatThrownBy(
                        () ->
                                MongoSnapshotSource.builder()
                                        .connection(MongoConnectionOptions.of("mongodb://h", 1000))
                                        .database("d")
                                        .build())
                .hasMessageContaining("neither");
        assertThatThrownBy(
                        () ->
                                MongoSnapshotSource.builder()
                                        .database("d")
                                        .collections(List.of("c"))
                                        .build())
                .hasMessage("connection is required");
    }

    @Test
    void aSelectionIsKeptAsGivenWithItsExclusions() {
        CollectionSelection acrossDatabases =
                CollectionSelection.namespaces(
                        List.of(NamespacePattern.parse("shop*.*", "test")),
                        List.of(NamespacePattern.parse("shop.tmp_*", "test")));
        SnapshotSourceOptions o =
                MongoSnapshotSource.builder()
                        .connection(MongoConnectionOptions.of("mongodb://h", 1000))
                        .selection(acrossDatabases)
                        .build()
                        .options();
        assertThat(o.selection()).isEqualTo(acrossDatabases);
        assertThat(o.collections()).isNull();
        assertThat(o.collectionRegex()).isNull();

        CollectionSelection shorthand =
                CollectionSelection.matching("shop", ".*")
                        .excluding(List.of(NamespacePattern.parse("shop.tmp_*", "test")));
        SnapshotSourceOptions s =
                MongoSnapshotSource.builder()
                        .connection(MongoConnectionOptions.of("mongodb://h", 1000))
                        .selection(shorthand)
                        .build()
                        .options();
        assertThat(s.selection()).isEqualTo(shorthand);
        assertThat(s.selection().matches("shop", "tmp_1")).as("the exclusion is kept").isFalse();
        assertThat(s.database()).isEqualTo("shop");

        assertThatThrownBy(() -> valid().selection(acrossDatabases).build())
                .hasMessageContaining(
                        "selection replaces database, collections and collectionRegex");
    }

    @Test
    void partitionStrategiesAreDescribed() {
        for (PartitionStrategy s : PartitionStrategy.values()) {
            assertThat(s.getDescription()).isNotNull();
        }
    }
}
