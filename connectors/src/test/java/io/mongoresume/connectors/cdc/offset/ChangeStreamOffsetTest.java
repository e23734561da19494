package io.mongoresume.connectors.cdc.offset;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeStreamOffsetTest {

    // 0x6560A1B2 = 1700831666, increment 1
    private static final BsonDocument REAL_TOKEN =
            BsonDocument.parse("{_data: '826560A1B2000000012B022C0100296E5A1004'}");

    /** The embedded server's tokens have another format. */
    private static final BsonDocument EMBEDDED_TOKEN =
            BsonDocument.parse("{_data: '6b07f33e00000001'}");

    @Test
    void decodesTheClusterTimeOfARealToken() {
        assertThat(ChangeStreamOffset.clusterTimeOf(REAL_TOKEN))
                .isEqualTo(new BsonTimestamp(0x6560A1B2, 1));
        assertThat(ChangeStreamOffset.clusterTimeOf(EMBEDDED_TOKEN)).isNull();
        assertThat(ChangeStreamOffset.clusterTimeOf(null)).isNull();
    }

    @Test
    void theTimestampPrefersTheTokensTime() {
        BsonTimestamp given = new BsonTimestamp(1_700_000_000, 0);
        assertThat(new ChangeStreamOffset(REAL_TOKEN, given).timestamp())
                .isEqualTo(new BsonTimestamp(0x6560A1B2, 1));
        assertThat(new ChangeStreamOffset(EMBEDDED_TOKEN, given).timestamp()).isEqualTo(given);
        assertThat(new ChangeStreamOffset(null, null).timestamp()).isNull();
    }

    @Test
    void describesEachKindOfPosition() {
        BsonTimestamp time = new BsonTimestamp(1_700_000_000, 2);
        assertThat(ChangeStreamOffset.describe(time))
                .isEqualTo("2023-11-14T22:13:20Z (1700000000, 2)");
        assertThat(ChangeStreamOffset.describe(null)).isEqualTo("unknown");
        assertThat(new ChangeStreamOffset(null, time).describe())
                .isEqualTo("operation time 2023-11-14T22:13:20Z (1700000000, 2)");
        assertThat(new ChangeStreamOffset(null, null).describe()).isEqualTo("the current time");
        assertThat(new ChangeStreamOffset(REAL_TOKEN, time).describe())
                .isEqualTo(
                        "resume token {\"_data\": \"826560A1B2000000012B022C0100296E5A1004\"}"
                                + " (cluster time 2023-11-24T13:14:26Z (1700831666, 1))");
        assertThat(new ChangeStreamOffset(EMBEDDED_TOKEN, time).describe())
                .isEqualTo(
                        "resume token {\"_data\": \"6b07f33e00000001\"}"
                                + " (last cluster time 2023-11-14T22:13:20Z (1700000000, 2))");
    }

    @Test
    void anInstantRoundsDownToItsSecond() {
        assertThat(ChangeStreamOffset.atSecond(Instant.parse("2023-11-14T22:13:20.999Z")))
                .isEqualTo(new BsonTimestamp(1_700_000_000, 0));
    }

    @Test
    void keepsItsOwnCopyOfTheToken() {
        BsonDocument token = REAL_TOKEN.clone();
        ChangeStreamOffset offset = new ChangeStreamOffset(token, null);
        token.put("_data", new BsonString("changed"));
        offset.resumeToken().clear();
        assertThat(offset.resumeToken()).isEqualTo(REAL_TOKEN);
        assertThat(offset).isEqualTo(new ChangeStreamOffset(REAL_TOKEN, null));
    }
}
