package io.mongoresume.connectors.cdc.enumerator;

import org.apache.flink.core.io.SimpleVersionedSerialization;

import io.mongoresume.connectors.cdc.split.ChangeStreamSplit;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChangeStreamEnumStateSerializerTest {

    @Test
    void roundTrips() throws IOException {
        ChangeStreamEnumState state = twoSplitsThreeCollections();
        assertThat(roundTrip(state)).isEqualTo(state);
        assertThat(roundTrip(ChangeStreamEnumState.initial()))
                .isEqualTo(ChangeStreamEnumState.initial());
    }

    private static ChangeStreamEnumState twoSplitsThreeCollections() {
        return new ChangeStreamEnumState(
                true,
                List.of(
                        new ChangeStreamSplit(
                                "db", "a", BsonDocument.parse("{_data: '82AB'}"), null),
                        new ChangeStreamSplit("db", "b", null, new BsonTimestamp(100, 2))),
                Set.of("a", "b", "c"),
                new BsonTimestamp(1_700_000_000, 0));
    }

    /** Written by the release before version 2 (main at 7eef506): the roundTrips state above. */
    private static final String VERSION_1_STATE =
            "AAAAAQAAAFbA3sWhAQAAAAEAAAACAAJkYgABYQEAAAAVFQAAAAJfZGF0YQAFAAAAODJBQgAAAAACZGIAAWIAAQAAAGQAAAACAAAAAwAB"
                    + "YQABYgABYwFlU/EAAAAAAA==";

    @Test
    void restoresTheStateOfThePreviousRelease() throws IOException {
        ChangeStreamEnumState state =
                deserialize(java.util.Base64.getDecoder().decode(VERSION_1_STATE));
        assertThat(state).isEqualTo(twoSplitsThreeCollections());
        assertThat(state.migrationId()).isNull();
        assertThat(state.pendingStart()).isNull();
    }

    @Test
    void copiesItsInputs() {
        List<ChangeStreamSplit> pending = new ArrayList<>();
        List<String> known = new ArrayList<>(List.of("a"));
        ChangeStreamEnumState state = new ChangeStreamEnumState(true, pending, known, null);
        pending.add(new ChangeStreamSplit("db", "x", null, new BsonTimestamp(1, 1)));
        known.add("x");
        assertThat(state.pendingSplits()).isEmpty();
        assertThat(state.knownCollections()).containsExactly("a");
        assertThatThrownBy(() -> state.knownCollections().add("y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsUnknownVersionAndForeignBytes() throws IOException {
        byte[] bytes =
                ChangeStreamEnumStateSerializer.INSTANCE.serialize(ChangeStreamEnumState.initial());
        assertThatThrownBy(() -> ChangeStreamEnumStateSerializer.INSTANCE.deserialize(99, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Unknown version");
        assertThatThrownBy(
                        () ->
                                ChangeStreamEnumStateSerializer.INSTANCE.deserialize(
                                        1, new byte[] {0, 0, 0, 1, 0, 0, 0, 0}))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("magic");
    }

    private static ChangeStreamEnumState roundTrip(ChangeStreamEnumState state) throws IOException {
        return deserialize(
                SimpleVersionedSerialization.writeVersionAndSerialize(
                        ChangeStreamEnumStateSerializer.INSTANCE, state));
    }

    private static ChangeStreamEnumState deserialize(byte[] bytes) throws IOException {
        return SimpleVersionedSerialization.readVersionAndDeSerialize(
                ChangeStreamEnumStateSerializer.INSTANCE, bytes);
    }
}
