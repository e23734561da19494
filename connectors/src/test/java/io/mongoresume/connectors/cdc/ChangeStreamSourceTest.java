package io.mongoresume.connectors.cdc;

import io.mongoresume.connectors.cdc.offset.StartPosition;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
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

    /** A builder with a connection (never opened) and database "db". */
    private static ChangeStreamSource.Builder onDb() {
        return ChangeStreamSource.builder()
                .connection(MongoConnectionOptions.of("mongodb://localhost:1", 1000))
                .database("db");
    }
}
