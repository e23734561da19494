package io.mongoresume.connectors.cdc.enumerator;

import org.apache.flink.core.io.SimpleVersionedSerialization;

import io.mongoresume.connectors.cdc.offset.StartPosition;
import io.mongoresume.connectors.cdc.split.ChangeStreamSplit;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChangeStreamEnumStateSerializerTest {

    /** The serializer of a shorthand selection of database "db". */
    private static final ChangeStreamEnumStateSerializer OF_DB =
            ChangeStreamEnumStateSerializer.forHomeDatabase("db");

    /** The serializer of a selection across databases. */
    private static final ChangeStreamEnumStateSerializer ACROSS =
            ChangeStreamEnumStateSerializer.forHomeDatabase(null);

    @Test
    void roundTrips() throws IOException {
        ChangeStreamEnumState state = twoSplitsThreeCollections();
        assertThat(roundTrip(OF_DB, state)).isEqualTo(state);
        assertThat(roundTrip(OF_DB, ChangeStreamEnumState.initial()))
                .isEqualTo(ChangeStreamEnumState.initial());
    }

    @Test
    void namespacesOfSeveralDatabasesRoundTripWithoutAHomeDatabase() throws IOException {
        ChangeStreamEnumState state =
                new ChangeStreamEnumState(
                        true,
                        List.of(
                                new ChangeStreamSplit(
                                        "sales", "a.b", null, new BsonTimestamp(7, 1))),
                        Set.of("shop.orders", "sales.a.b"),
                        new BsonTimestamp(1_700_000_000, 0),
                        "m-1",
                        StartPosition.atOperationTime(new BsonTimestamp(1_699_999_000, 0)));
        ChangeStreamEnumState copy = roundTrip(ACROSS, state);
        assertThat(copy).isEqualTo(state);
        assertThat(copy.knownNamespaces()).containsExactly("sales.a.b", "shop.orders");
        assertThat(roundTrip(OF_DB, state))
                .as("a current state names namespaces: no home database is applied")
                .isEqualTo(state);
    }

    private static ChangeStreamEnumState twoSplitsThreeCollections() {
        return new ChangeStreamEnumState(
                true,
                List.of(
                        new ChangeStreamSplit(
                                "db", "a", BsonDocument.parse("{_data: '82AB'}"), null),
                        new ChangeStreamSplit("db", "b", null, new BsonTimestamp(100, 2))),
                Set.of("db.a", "db.b", "db.c"),
                new BsonTimestamp(1_700_000_000, 0));
    }

    /**
     * Written by the release before version 2 (main at 7eef506): the roundTrips state above, its
     * known collections named without their database ("a", "b", "c").
     */
    private static final String VERSION_1_STATE =
            "AAAAAQAAAFbA3sWhAQAAAAEAAAACAAJkYgABYQEAAAAVFQAAAAJfZGF0YQAFAAAAODJBQgAAAAACZGIAAWIAAQAAAGQAAAACAAAAAwAB"
                    + "YQABYgABYwFlU/EAAAAAAA==";

    /**
     * Written by the release before version 3 (main at 023dd8c): initialized, pending split db.b,
     * known collections "a" and "b", last poll at 1700000000, migration id "m-1", no pending start.
     */
    private static final String VERSION_2_STATE =
            "AAAAAgAAADjA3sWhAQAAAAEAAAABAAJkYgABYgABAAAAZAAAAAIAAAACAAFhAAFiAWVT8QAAAAAAAQADbS0xAA==";

    @Test
    void restoresTheStateOfTheReleaseBeforeVersion2AsNamespacesOfTheHomeDatabase()
            throws IOException {
        ChangeStreamEnumState state = deserialize(OF_DB, VERSION_1_STATE);
        assertThat(state).isEqualTo(twoSplitsThreeCollections());
        assertThat(state.knownNamespaces()).containsExactly("db.a", "db.b", "db.c");
        assertThat(state.migrationId()).isNull();
        assertThat(state.pendingStart()).isNull();
    }

    @Test
    void restoresTheStateOfTheReleaseBeforeVersion3AsNamespacesOfTheHomeDatabase()
            throws IOException {
        ChangeStreamEnumState state = deserialize(OF_DB, VERSION_2_STATE);
        assertThat(state)
                .isEqualTo(
                        new ChangeStreamEnumState(
                                true,
                                List.of(
                                        new ChangeStreamSplit(
                                                "db", "b", null, new BsonTimestamp(100, 2))),
                                Set.of("db.a", "db.b"),
                                new BsonTimestamp(1_700_000_000, 0),
                                "m-1",
                                null));
        assertThat(
                        deserialize(
                                        ChangeStreamEnumStateSerializer.forHomeDatabase("shop"),
                                        VERSION_2_STATE)
                                .knownNamespaces())
                .as("the home database is the resuming selection's")
                .containsExactly("shop.a", "shop.b");
    }

    @Test
    void aStateOfOneDatabaseCannotRestoreIntoASelectionAcrossDatabases() {
        for (String old : List.of(VERSION_1_STATE, VERSION_2_STATE)) {
            assertThatThrownBy(() -> deserialize(ACROSS, old))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("written by a release that read one database")
                    .hasMessageContaining("source.namespaces")
                    .hasMessageContaining("source.database");
        }
    }

    @Test
    void copiesItsInputs() {
        List<ChangeStreamSplit> pending = new ArrayList<>();
        List<String> known = new ArrayList<>(List.of("db.a"));
        ChangeStreamEnumState state = new ChangeStreamEnumState(true, pending, known, null);
        pending.add(new ChangeStreamSplit("db", "x", null, new BsonTimestamp(1, 1)));
        known.add("db.x");
        assertThat(state.pendingSplits()).isEmpty();
        assertThat(state.knownNamespaces()).containsExactly("db.a");
        assertThatThrownBy(() -> state.knownNamespaces().add("db.y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsUnknownVersionAndForeignBytes() throws IOException {
        byte[] bytes = OF_DB.serialize(ChangeStreamEnumState.initial());
        assertThatThrownBy(() -> OF_DB.deserialize(99, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Unknown version");
        assertThatThrownBy(() -> OF_DB.deserialize(1, new byte[] {0, 0, 0, 1, 0, 0, 0, 0}))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("magic");
    }

    private static ChangeStreamEnumState roundTrip(
            ChangeStreamEnumStateSerializer serializer, ChangeStreamEnumState state)
            throws IOException {
        return SimpleVersionedSerialization.readVersionAndDeSerialize(
                serializer,
                SimpleVersionedSerialization.writeVersionAndSerialize(serializer, state));
    }

    private static ChangeStreamEnumState deserialize(
            ChangeStreamEnumStateSerializer serializer, String base64) throws IOException {
        return SimpleVersionedSerialization.readVersionAndDeSerialize(
                serializer, Base64.getDecoder().decode(base64));
    }
}
