package io.mongoresume.connectors.cdc;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import io.mongoresume.connectors.cdc.offset.StartPosition;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChangeStreamSourceTest {

    @Test
    void watermarkNeverHoldsBack() {
        List<Long> emitted = new ArrayList<>();
        WatermarkOutput output =
                new WatermarkOutput() {
                    @Override
                    public void emitWatermark(Watermark watermark) {
                        emitted.add(watermark.getTimestamp());
                    }

                    @Override
                    public void markIdle() {
                        throw new AssertionError("never idle");
                    }

                    @Override
                    public void markActive() {}
                };
        MaxWatermarkGenerator generator = new MaxWatermarkGenerator();
        generator.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(Long.MAX_VALUE - 1);
    }

    @Test
    void builderChecksItsInputs() {
        MongoConnectionOptions connection = MongoConnectionOptions.of("mongodb://localhost:1", 1000);
        assertThatThrownBy(
                        () ->
                                ChangeStreamSource.builder()
                                        .connection(connection)
                                        .database("db")
                                        .collections(List.of("a"))
                                        .fullDocument(false)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Partial updates are not yet supported");
        assertThatThrownBy(
                        () ->
                                ChangeStreamSource.builder()
                                        .connection(connection)
                                        .database("db")
                                        .collections(List.of("a"))
                                        .collectionRegex("a.*")
                                        .build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> ChangeStreamSource.builder().connection(connection).database("db").collectionRegex("(").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid collectionRegex");
        ChangeStreamSource source =
                ChangeStreamSource.builder().connection(connection).database("db").collectionRegex("a.*").build();
        assertThat(source.getBoundedness()).isEqualTo(org.apache.flink.api.connector.source.Boundedness.CONTINUOUS_UNBOUNDED);
        assertThat(source.startPosition().kind()).isEqualTo(StartPosition.Kind.CAPTURED_AT_FIRST_START);
    }
}
