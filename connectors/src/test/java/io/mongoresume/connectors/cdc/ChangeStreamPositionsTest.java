package io.mongoresume.connectors.cdc;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.mongoresume.connectors.cdc.offset.StartPosition;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChangeStreamPositionsTest {

    @Test
    void decodesTheClusterTimeOfARealToken() {
        // 0x6560A1B2 = 1700831666, increment 1
        BsonDocument token = BsonDocument.parse("{_data: '826560A1B2000000012B022C0100296E5A1004'}");
        assertThat(ChangeStreamPositions.clusterTimeOf(token)).isEqualTo(new BsonTimestamp(0x6560A1B2, 1));
        // the embedded server's tokens have another format
        assertThat(ChangeStreamPositions.clusterTimeOf(BsonDocument.parse("{_data: '6b07f33e00000001'}"))).isNull();
        assertThat(ChangeStreamPositions.clusterTimeOf(null)).isNull();
    }

    @Test
    void operationTimeOfACommandReply() {
        assertThat(
                        ChangeStreamStartPositions.operationTimeOf(
                                BsonDocument.parse("{ok: 1, operationTime: {$timestamp: {t: 10, i: 3}}}")))
                .isEqualTo(new BsonTimestamp(10, 3));
        assertThat(
                        ChangeStreamStartPositions.operationTimeOf(
                                BsonDocument.parse("{ok: 1, $clusterTime: {clusterTime: {$timestamp: {t: 11, i: 4}}}}")))
                .isEqualTo(new BsonTimestamp(11, 4));
        assertThat(ChangeStreamStartPositions.operationTimeOf(BsonDocument.parse("{ok: 1}"))).isNull();
    }

    @Test
    void startPositions() {
        assertThat(StartPosition.atTime(Instant.parse("2023-11-14T22:13:20.999Z")).operationTime())
                .isEqualTo(new BsonTimestamp(1_700_000_000, 0));
        assertThat(StartPosition.resumeToken("{\"_data\": \"8265\"}").resumeToken())
                .isEqualTo(BsonDocument.parse("{_data: '8265'}"));
        assertThatThrownBy(() -> StartPosition.resumeToken("not json")).isInstanceOf(IllegalArgumentException.class);
        assertThat(StartPosition.capturedAtFirstStart().isCaptured()).isTrue();
        assertThat(StartPosition.capturedAtFirstStart().safetyMargin()).isEqualTo(StartPosition.DEFAULT_SAFETY_MARGIN);
    }

    @Test
    void anOriginNamesAPositionWithoutChangingIt() {
        StartPosition plain = StartPosition.atOperationTime(new BsonTimestamp(1_700_000_000, 0));
        StartPosition named = plain.withOrigin("cdc.start-at");
        assertThat(named.origin()).isEqualTo("cdc.start-at");
        assertThat(plain.origin()).isNull();
        assertThat(named).isEqualTo(plain).hasSameHashCodeAs(plain);
        assertThat(named.operationTime()).isEqualTo(plain.operationTime());
        assertThat(named.toString()).contains("from cdc.start-at");
    }

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
