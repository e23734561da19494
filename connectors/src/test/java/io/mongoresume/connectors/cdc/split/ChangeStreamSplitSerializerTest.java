package io.mongoresume.connectors.cdc.split;

import org.apache.flink.core.io.SimpleVersionedSerialization;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChangeStreamSplitSerializerTest {

    private static final BsonDocument TOKEN =
            BsonDocument.parse(
                    "{_data: '8263A1B2C3000000012B022C0100296E5A1004', _typeBits: {$binary: {base64: 'QA==', subType: '00'}}}");

    @Test
    void roundTripsEveryShape() throws IOException {
        for (ChangeStreamSplit split :
                new ChangeStreamSplit[] {
                    new ChangeStreamSplit("db", "coll", TOKEN, new BsonTimestamp(1_700_000_000, 7)),
                    new ChangeStreamSplit("db", "coll.with.dots", TOKEN, null),
                    new ChangeStreamSplit(
                            "db", "ünïcode", null, new BsonTimestamp(1_700_000_000, 0)),
                }) {
            ChangeStreamSplit copy = roundTrip(split);
            assertThat(copy).isEqualTo(split);
            assertThat(copy.splitId()).isEqualTo(split.splitId());
            assertThat(copy.resumeToken()).isEqualTo(split.resumeToken());
            assertThat(copy.operationTime()).isEqualTo(split.operationTime());
        }
    }

    @Test
    void tokenKeepsItsBsonTypes() throws IOException {
        BsonDocument token = BsonDocument.parse("{_data: 'ab', n: {$numberLong: '1'}}");
        ChangeStreamSplit split = new ChangeStreamSplit("db", "c", token, null);
        ChangeStreamSplit copy =
                ChangeStreamSplitSerializer.INSTANCE.deserialize(
                        ChangeStreamSplitSerializer.CURRENT_VERSION,
                        ChangeStreamSplitSerializer.INSTANCE.serialize(split));
        assertThat(copy.resumeToken().get("n").isInt64()).isTrue();
    }

    @Test
    void rejectsUnknownVersion() throws IOException {
        byte[] bytes =
                ChangeStreamSplitSerializer.INSTANCE.serialize(
                        new ChangeStreamSplit("db", "c", TOKEN, null));
        assertThatThrownBy(() -> ChangeStreamSplitSerializer.INSTANCE.deserialize(99, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Unknown version")
                .hasMessageContaining("99");
    }

    @Test
    void splitIsImmutable() {
        BsonDocument token = TOKEN.clone();
        ChangeStreamSplit split = new ChangeStreamSplit("db", "c", token, null);
        token.put("_data", new org.bson.BsonString("changed"));
        split.resumeToken().put("_data", new org.bson.BsonString("changed"));
        assertThat(split.resumeToken()).isEqualTo(TOKEN);

        ChangeStreamSplit advanced = split.withPosition(null, new BsonTimestamp(5, 1));
        assertThat(split.operationTime()).isNull();
        assertThat(advanced.resumeToken()).isEqualTo(TOKEN);
        assertThat(advanced.operationTime()).isEqualTo(new BsonTimestamp(5, 1));
    }

    @Test
    void needsAPosition() {
        assertThatThrownBy(() -> new ChangeStreamSplit("db", "c", null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static ChangeStreamSplit roundTrip(ChangeStreamSplit split) throws IOException {
        ChangeStreamSplitSerializer serializer = ChangeStreamSplitSerializer.INSTANCE;
        return SimpleVersionedSerialization.readVersionAndDeSerialize(
                serializer,
                SimpleVersionedSerialization.writeVersionAndSerialize(serializer, split));
    }
}
