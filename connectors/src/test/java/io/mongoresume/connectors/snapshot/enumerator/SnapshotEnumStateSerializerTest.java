package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.core.io.SimpleVersionedSerialization;

import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.snapshot.enumerator.partition.CountScanPosition;
import io.mongoresume.connectors.snapshot.enumerator.partition.PartitionStrategy;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;
import org.bson.BsonBinary;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotEnumStateSerializerTest {

    /** Restores states of releases that read one database under database {@code db}. */
    private static final SnapshotEnumStateSerializer SERIALIZER =
            new SnapshotEnumStateSerializer("db");

    /** A collection whose target is prepared but which is not partitioned yet. */
    static CollectionProgress preparedNotStarted(String collection) {
        return new CollectionProgress(
                collection, CollectionPhase.NOT_STARTED, true, CountScanPosition.START, 0, 0);
    }

    /** A collection cut into {@code splits} so far, its next scan from {@code lowers}. */
    static CollectionProgress partitioning(
            String collection, Map<TypeBracket, BsonValue> lowers, int splits) {
        return new CollectionProgress(
                collection,
                CollectionPhase.PARTITIONING,
                true,
                new CountScanPosition(lowers),
                splits,
                0);
    }

    static SnapshotEnumState sampleState() {
        Map<TypeBracket, BsonValue> lowers = new EnumMap<>(TypeBracket.class);
        lowers.put(TypeBracket.NUMBER, new BsonInt64(5000));
        lowers.put(TypeBracket.STRING, new BsonString("ü-key"));
        lowers.put(TypeBracket.BINARY, new BsonBinary(new byte[] {1, 2, 3}));
        return new SnapshotEnumState(
                true,
                List.of(
                        new CollectionProgress(
                                "db.a", CollectionPhase.DONE, true, CountScanPosition.START, 3, 2),
                        partitioning("db.b", lowers, 4),
                        preparedNotStarted("other.c"),
                        CollectionProgress.notStarted("other.d.with.dots")),
                List.of(
                        SnapshotSplit.unread(
                                "db", "a", 2, TypeBracket.OBJECT_ID, new BsonObjectId(), null),
                        SnapshotSplit.unread(
                                        "db", "b", 0, TypeBracket.NUMBER, null, new BsonInt64(5))
                                .withProgress(new BsonInt64(3), new BsonInt64(4))),
                Map.of("db.b_3", "db.b"),
                List.of("db.a_0", "db.a_1"));
    }

    @Test
    void roundTrips() throws IOException {
        for (SnapshotEnumState state : List.of(SnapshotEnumState.initial(), sampleState())) {
            SnapshotEnumState copy = roundTrip(state);
            assertThat(copy).isEqualTo(state);
            assertThat(copy.collections()).isEqualTo(state.collections());
        }
    }

    @Test
    void partitionSettingsRoundTrip() throws IOException {
        SnapshotEnumState base = sampleState();
        SnapshotEnumState state =
                new SnapshotEnumState(
                        true,
                        base.collections(),
                        base.pendingSplits(),
                        base.assignedSplits(),
                        base.finishedSplitIds(),
                        new PartitionSettings(PartitionStrategy.MIN_MAX, 500_000, 64),
                        "migration-1");
        SnapshotEnumState copy = roundTrip(state);
        assertThat(copy.partitionSettings())
                .isEqualTo(new PartitionSettings(PartitionStrategy.MIN_MAX, 500_000, 64));
        assertThat(copy.migrationId()).isEqualTo("migration-1");
    }

    /**
     * Written by the release before partition settings were recorded (version 1, main at 7eef506).
     */
    private static final String VERSION_1_STATE =
            "AAAAAQAAAM5NUlNFAAAAAQEAAAACAAAAAWEABERPTkUBAAAAAwAAAAIAAAAAAAAAAWIADFBBUlRJVElPTklORwEAAAAEAAAAAAAAAAEABk5V"
                    + "TUJFUgEAAAAQEAAAABJ2AIgTAAAAAAAAAAAAAAEAAAAGZGIuYV8yAAAAAmRiAAAAAWEACU9CSkVDVF9JRAEAAAAUFAAAAAd2AGUA"
                    + "AAAAAAAAAAAAqgAAAAAAAAAAAQAAAAZkYi5iXzMAAAABYgAAAAIAAAAGZGIuYV8wAAAABmRiLmFfMQ==";

    @Test
    void restoresTheStateOfThePreviousRelease() throws IOException {
        SnapshotEnumState state =
                SimpleVersionedSerialization.readVersionAndDeSerialize(
                        SERIALIZER, java.util.Base64.getDecoder().decode(VERSION_1_STATE));
        assertThat(state.partitionSettings()).isNull();
        assertThat(state.migrationId()).isNull();
        assertThat(state.collections())
                .as("names within the one database become namespaces under the home database")
                .extracting(CollectionProgress::namespace, CollectionProgress::phase)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("db.a", CollectionPhase.DONE),
                        org.assertj.core.groups.Tuple.tuple("db.b", CollectionPhase.PARTITIONING));
        assertThat(state.pendingSplits())
                .extracting(SnapshotSplit::splitId)
                .containsExactly("db.a_2");
        assertThat(state.assignedSplits()).containsExactly(Map.entry("db.b_3", "db.b"));
        assertThat(state.finishedSplitIds()).containsExactly("db.a_0", "db.a_1");
    }

    /**
     * Version 2 (main before selections spanned databases) had the layout of version 3 but named
     * collections within the one database; the version-3 writer given such names writes its bytes.
     */
    private static byte[] version2Bytes() throws IOException {
        SnapshotEnumState relative =
                new SnapshotEnumState(
                        true,
                        List.of(
                                new CollectionProgress(
                                        "orders",
                                        CollectionPhase.DONE,
                                        true,
                                        CountScanPosition.START,
                                        2,
                                        1),
                                preparedNotStarted("users")),
                        List.of(
                                SnapshotSplit.unread(
                                        "shop", "orders", 1, TypeBracket.NUMBER, null, null)),
                        Map.of("shop.orders_0", "orders"),
                        List.of(),
                        new PartitionSettings(PartitionStrategy.COUNT, 10, 100),
                        "m-1");
        return SERIALIZER.serialize(relative);
    }

    @Test
    void restoresAVersion2StateUnderTheHomeDatabase() throws IOException {
        SnapshotEnumState state =
                SnapshotEnumStateSerializer.of(
                                io.mongoresume.connectors.common.selection.CollectionSelection
                                        .matching("shop", ".*"))
                        .deserialize(2, version2Bytes());
        assertThat(state.collections())
                .extracting(CollectionProgress::namespace)
                .containsExactly("shop.orders", "shop.users");
        assertThat(state.assignedSplits())
                .containsExactly(Map.entry("shop.orders_0", "shop.orders"));
        assertThat(state.pendingSplits())
                .extracting(SnapshotSplit::namespace)
                .containsExactly("shop.orders");
        assertThat(state.migrationId()).isEqualTo("m-1");
    }

    @Test
    void aSelectionAcrossDatabasesCannotRestoreAStateOfOneDatabase() throws IOException {
        SnapshotEnumStateSerializer acrossDatabases =
                SnapshotEnumStateSerializer.of(
                        io.mongoresume.connectors.common.selection.CollectionSelection.namespaces(
                                List.of(), List.of()));
        byte[] version1 = java.util.Base64.getDecoder().decode(VERSION_1_STATE);
        byte[] version2 = version2Bytes();
        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable restore :
                List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
                        () ->
                                SimpleVersionedSerialization.readVersionAndDeSerialize(
                                        acrossDatabases, version1),
                        () -> acrossDatabases.deserialize(2, version2))) {
            assertThatThrownBy(restore)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("written by a release that read one source database")
                    .hasMessageContaining("Resume it with source.database");
        }
        SnapshotEnumState current = sampleState();
        assertThat(acrossDatabases.deserialize(3, acrossDatabases.serialize(current)))
                .as("states in namespaces restore into any selection")
                .isEqualTo(current);
    }

    @Test
    void rejectsUnknownVersionAndForeignBytes() throws IOException {
        byte[] bytes = SERIALIZER.serialize(sampleState());
        assertThatThrownBy(() -> SERIALIZER.deserialize(99, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 99");
        bytes[0] ^= 0x7f;
        assertThatThrownBy(() -> SERIALIZER.deserialize(1, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("magic");
    }

    @Test
    void rejectsUnknownEmbeddedSplitVersion() throws IOException {
        byte[] bytes = SERIALIZER.serialize(sampleState());
        bytes[7] = 42; // the split serializer version follows the 4-byte magic
        assertThatThrownBy(() -> SERIALIZER.deserialize(1, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 42");
    }

    @Test
    void stateIsACopy() {
        java.util.List<String> finished = new java.util.ArrayList<>(List.of("x"));
        SnapshotEnumState state =
                new SnapshotEnumState(true, List.of(), List.of(), Map.of(), finished);
        finished.add("y");
        assertThat(state.finishedSplitIds()).containsExactly("x");
        assertThatThrownBy(() -> state.finishedSplitIds().add("z"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private static SnapshotEnumState roundTrip(SnapshotEnumState state) throws IOException {
        return SimpleVersionedSerialization.readVersionAndDeSerialize(
                SERIALIZER,
                SimpleVersionedSerialization.writeVersionAndSerialize(SERIALIZER, state));
    }
}
