package io.mongoresume.connectors.cdc.offset;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StartPositionTest {

    @Test
    void startPositions() {
        assertThat(StartPosition.atTime(Instant.parse("2023-11-14T22:13:20.999Z")).operationTime())
                .isEqualTo(new BsonTimestamp(1_700_000_000, 0));
        assertThat(StartPosition.resumeToken("{\"_data\": \"8265\"}").resumeToken())
                .isEqualTo(BsonDocument.parse("{_data: '8265'}"));
        assertThatThrownBy(() -> StartPosition.resumeToken("not json"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(StartPosition.capturedAtFirstStart().isCaptured()).isTrue();
        assertThat(StartPosition.capturedAtFirstStart().safetyMargin())
                .isEqualTo(StartPosition.DEFAULT_SAFETY_MARGIN);
        assertThatThrownBy(() -> StartPosition.capturedAtFirstStart(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("safety margin must not be negative");
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
}
