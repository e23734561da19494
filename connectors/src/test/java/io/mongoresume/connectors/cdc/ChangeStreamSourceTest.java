package io.mongoresume.connectors.cdc;

import org.apache.flink.core.io.SimpleVersionedSerialization;

import io.mongoresume.connectors.cdc.enumerator.ChangeStreamEnumState;
import io.mongoresume.connectors.cdc.offset.StartPosition;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.common.selection.NamespacePattern;
import io.mongoresume.connectors.testutils.WatermarkRecorder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChangeStreamSourceTest {

    @Test
    void watermarkNeverHoldsBack() {
        WatermarkRecorder output = new WatermarkRecorder();
        MaxWatermarkGenerator generator = new MaxWatermarkGenerator();
        generator.onPeriodicEmit(output);
        assertThat(output.emitted()).as("never idle").containsExactly(Long.MAX_VALUE - 1);
    }

    @Test
    void builderChecksItsInputs() {
        assertThatThrownBy(() -> onDb().collections(List.of("a")).fullDocument(false).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Partial updates are not yet supported");
        assertThatThrownBy(() -> onDb().collections(List.of("a")).collectionRegex("a.*").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> onDb().collectionRegex("(").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid collectionRegex");
        ChangeStreamSource source = onDb().collectionRegex("a.*").build();
        assertThat(source.getBoundedness())
                .isEqualTo(org.apache.flink.api.connector.source.Boundedness.CONTINUOUS_UNBOUNDED);
        assertThat(source.startPosition().kind())
                .isEqualTo(StartPosition.Kind.CAPTURED_AT_FIRST_START);
    }

    @Test
    void aSelectionIsKeptAsGiven() {
        CollectionSelection across =
                CollectionSelection.namespaces(
                        List.of(NamespacePattern.parse("tenant_*.events", "test")),
                        List.of(NamespacePattern.parse("tenant_0.events", "test")));
        ChangeStreamSource source = withConnection().selection(across).build();
        assertThat(source.selection()).isEqualTo(across);
        assertThat(source.selection().matches("tenant_0", "events")).isFalse();

        CollectionSelection shorthand =
                CollectionSelection.matching("db", "a.*")
                        .excluding(List.of(NamespacePattern.parse("db.ax", "test")));
        assertThat(withConnection().selection(shorthand).build().selection())
                .as("exclusions of the shorthand stay too")
                .isEqualTo(shorthand);
        assertThat(onDb().collections(List.of("a", "b")).build().selection())
                .isEqualTo(CollectionSelection.of("db", List.of("a", "b")));
        assertThatThrownBy(() -> onDb().selection(across).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not both");
    }

    @Test
    void theCheckpointSerializerReadsOneDatabaseStatesInTheHomeDatabase() throws Exception {
        ChangeStreamEnumState state =
                new ChangeStreamEnumState(true, List.of(), List.of("db.a"), null);
        // Version 2 (with its version and length) of known collection "a", as the release before
        // version 3 wrote it.
        byte[] version2 =
                java.util.Base64.getDecoder()
                        .decode("AAAAAgAAABfA3sWhAQAAAAEAAAAAAAAAAQABYQAAAA==");
        ChangeStreamSource shorthand = onDb().collections(List.of("a")).build();
        assertThat(
                        SimpleVersionedSerialization.readVersionAndDeSerialize(
                                shorthand.getEnumeratorCheckpointSerializer(), version2))
                .isEqualTo(state);
        ChangeStreamSource across =
                withConnection()
                        .selection(CollectionSelection.namespaces(List.of(), List.of()))
                        .build();
        assertThatThrownBy(
                        () ->
                                SimpleVersionedSerialization.readVersionAndDeSerialize(
                                        across.getEnumeratorCheckpointSerializer(), version2))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("read one database");
    }

    private static ChangeStreamSource.Builder withConnection() {
        return ChangeStreamSource.builder()
                .connection(MongoConnectionOptions.of("mongodb://localhost:1", 1000));
    }

    /** A builder with a connection (never opened) and database "db". */
    private static ChangeStreamSource.Builder onDb() {
        return ChangeStreamSource.builder()
                .connection(MongoConnectionOptions.of("mongodb://localhost:1", 1000))
                .database("db");
    }
}
