package io.mongoresume.connectors.cdc.offset;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterTimeCaptureTest {

    @Test
    void operationTimeOfACommandReply() {
        assertThat(
                        ClusterTimeCapture.operationTimeOf(
                                BsonDocument.parse(
                                        "{ok: 1, operationTime: {$timestamp: {t: 10, i: 3}}}")))
                .isEqualTo(new BsonTimestamp(10, 3));
        assertThat(
                        ClusterTimeCapture.operationTimeOf(
                                BsonDocument.parse(
                                        "{ok: 1, $clusterTime: {clusterTime: {$timestamp: {t: 11, i: 4}}}}")))
                .isEqualTo(new BsonTimestamp(11, 4));
        assertThat(ClusterTimeCapture.operationTimeOf(BsonDocument.parse("{ok: 1}"))).isNull();
    }
}
