package io.mongoresume.connectors.snapshot.split;

import org.apache.flink.core.io.SimpleVersionedSerialization;

import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.common.read.DocumentSize;
import io.mongoresume.connectors.snapshot.query.CollectionReadPlan;
import io.mongoresume.connectors.snapshot.query.RangeScanPlan;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonJavaScript;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotSplitSerializerTest {

    /** Two ordered values of every bracket; equal values for the single-valued brackets. */
    static List<BsonValue[]> valuesPerBracket() {
        List<BsonValue[]> values = new ArrayList<>();
        values.add(new BsonValue[] {new BsonMinKey(), new BsonMinKey()});
        values.add(new BsonValue[] {BsonNull.VALUE, BsonNull.VALUE});
        values.add(new BsonValue[] {new BsonInt32(7), new BsonInt64(1L << 40)});
        values.add(
                new BsonValue[] {
                    new BsonDouble(-0.5), new BsonDecimal128(Decimal128.parse("12.50"))
                });
        values.add(new BsonValue[] {new BsonString("a"), new BsonString("用户😀")});
        values.add(
                new BsonValue[] {
                    new BsonDocument("a", new BsonInt32(1)), new BsonDocument("b", new BsonInt64(2))
                });
        values.add(
                new BsonValue[] {
                    new BsonBinary(new byte[] {1}), new BsonBinary(UUID.randomUUID())
                });
        values.add(new BsonValue[] {new BsonObjectId(), new BsonObjectId()});
        values.add(new BsonValue[] {BsonBoolean.FALSE, BsonBoolean.TRUE});
        values.add(new BsonValue[] {new BsonDateTime(-1), new BsonDateTime(1_700_000_000_000L)});
        values.add(new BsonValue[] {new BsonTimestamp(1, 1), new BsonTimestamp(2, 1)});
        values.add(new BsonValue[] {new BsonJavaScript("a"), new BsonJavaScript("b")});
        values.add(new BsonValue[] {new BsonMaxKey(), new BsonMaxKey()});
        return values;
    }

    @Test
    void roundTripsEveryBracketWithAndWithoutBounds() throws IOException {
        int n = 0;
        for (BsonValue[] v : valuesPerBracket()) {
            TypeBracket bracket = TypeBracket.of(v[0].getBsonType());
            List<SnapshotSplit> splits =
                    List.of(
                            SnapshotSplit.unread("db", "coll", n++, bracket, null, null),
                            SnapshotSplit.unread("db", "coll", n++, bracket, v[0], null),
                            SnapshotSplit.unread("db", "coll", n++, bracket, null, v[1]),
                            SnapshotSplit.unread("db", "coll", n++, bracket, v[0], v[1])
                                    .withProgress(v[0], v[1]),
                            SnapshotSplit.unread("d b", "c.o.l", n++, bracket, null, null)
                                    .withProgress(v[1], null)
                                    .asClientFiltered());
            for (SnapshotSplit split : splits) {
                SnapshotSplit copy = roundTrip(split);
                assertThat(copy).isEqualTo(split);
                assertThat(copy.toString()).isEqualTo(split.toString());
                assertBsonTypes(copy.lower(), split.lower());
                assertBsonTypes(copy.upper(), split.upper());
                assertBsonTypes(copy.lastId(), split.lastId());
            }
        }
    }

    @Test
    void keepsNumericTypesExactly() throws IOException {
        SnapshotSplit split =
                SnapshotSplit.unread(
                                "db",
                                "c",
                                0,
                                TypeBracket.NUMBER,
                                new BsonInt64(1),
                                new BsonInt32(5))
                        .withProgress(
                                new BsonDouble(2.0), new BsonDecimal128(Decimal128.parse("3")));
        SnapshotSplit copy = roundTrip(split);
        assertThat(copy.lower()).isInstanceOf(org.bson.BsonInt64.class);
        assertThat(copy.upper()).isInstanceOf(BsonInt32.class);
        assertThat(copy.lastId()).isInstanceOf(BsonDouble.class);
        assertThat(copy.fetchedUpToId()).isInstanceOf(BsonDecimal128.class);
    }

    @Test
    void splitIdIsNamespaceAndNumber() {
        assertThat(
                        SnapshotSplit.unread("shop", "orders", 3, TypeBracket.NUMBER, null, null)
                                .splitId())
                .isEqualTo("shop.orders_3");
    }

    @Test
    void rejectsBoundsOutsideTheBracket() {
        assertThatThrownBy(
                        () ->
                                SnapshotSplit.unread(
                                        "db",
                                        "c",
                                        0,
                                        TypeBracket.NUMBER,
                                        new BsonString("x"),
                                        null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not in bracket NUMBER");
    }

    @Test
    void rejectsUnknownVersion() throws IOException {
        byte[] bytes =
                SnapshotSplitSerializer.INSTANCE.serialize(
                        SnapshotSplit.unread("db", "c", 0, TypeBracket.NUMBER, null, null));
        assertThatThrownBy(() -> SnapshotSplitSerializer.INSTANCE.deserialize(3, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Unknown version 3 of a serialized snapshot split");
    }

    @Test
    void roundTripsTheReadPlan() throws IOException {
        SnapshotSplit base =
                SnapshotSplit.unread("db", "c", 4, TypeBracket.NUMBER, new BsonInt32(1), null)
                        .withProgress(new BsonInt32(2), new BsonInt32(3));
        List<CollectionReadPlan> plans =
                List.of(
                        new CollectionReadPlan(
                                RangeScanPlan.INDEX_SCAN, DocumentSize.of(15_000_000, "collStats")),
                        new CollectionReadPlan(
                                RangeScanPlan.COLLECTION_SCAN,
                                DocumentSize.of(812, "10 documents measured")),
                        CollectionReadPlan.unknown("not asked"));
        for (CollectionReadPlan plan : plans) {
            SnapshotSplit split = base.withReadPlan(plan);
            SnapshotSplit copy = roundTrip(split);
            assertThat(copy).isEqualTo(split);
            assertThat(copy.readPlan()).isEqualTo(plan);
            assertThat(copy.withProgress(null, null).readPlan())
                    .as("progress keeps the plan")
                    .isEqualTo(plan);
            assertThat(copy.asClientFiltered().readPlan()).isEqualTo(plan);
        }
        assertThat(roundTrip(base).readPlan()).isNull();
    }

    /**
     * Splits as version 1 (the release before read plans) wrote them into savepoints: one with
     * bounds and progress, one client-filtered. Bytes of {@code writeVersionAndSerialize}, written
     * by the version 1 serializer (commit 7eef506) for the splits the test expects.
     */
    static final String V1_RANGE_SPLIT =
            "00000001000000780000000d73686f702e6f72646572735f330000000473686f70000000066f7264657273"
                    + "00064e554d424552010000000c0c0000001076006400000000010000001010000000127600840300"
                    + "000000000000010000000c0c000000107600f30100000001000000101000000001760000000000004480"
                    + "400000";

    static final String V1_CLIENT_FILTERED_SPLIT =
            "000000010000002c0000000b73686f702e62696e735f300000000473686f700000000462696e7300064249"
                    + "4e4152590000000001";

    @Test
    void restoresSplitsOfVersionOneWithoutAReadPlan() throws IOException {
        SnapshotSplit range = deserialize(hex(V1_RANGE_SPLIT));
        BsonInt32 lower = new BsonInt32(100);
        SnapshotSplit expected =
                SnapshotSplit.unread(
                                "shop", "orders", 3, TypeBracket.NUMBER, lower, new BsonInt64(900))
                        .withProgress(new BsonInt32(499), new BsonDouble(520.5));
        assertThat(range).isEqualTo(expected);
        assertThat(range.upper()).isInstanceOf(BsonInt64.class);
        assertThat(range.fetchedUpToId()).isInstanceOf(BsonDouble.class);
        assertThat(range.readPlan()).isNull();

        SnapshotSplit bins = deserialize(hex(V1_CLIENT_FILTERED_SPLIT));
        assertThat(bins)
                .isEqualTo(
                        SnapshotSplit.unread("shop", "bins", 0, TypeBracket.BINARY, null, null)
                                .asClientFiltered());
        assertThat(bins.readPlan()).isNull();
    }

    static byte[] hex(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    @Test
    void splitStateTracksEmittedProgressAndCopies() {
        SnapshotSplit split = SnapshotSplit.unread("db", "c", 0, TypeBracket.NUMBER, null, null);
        SnapshotSplitState state = new SnapshotSplitState(split);
        state.emitted(new BsonInt32(3), new BsonInt32(9));
        SnapshotSplit checkpointed = state.toSplit();
        state.emitted(new BsonInt32(4), new BsonInt32(9));
        assertThat(checkpointed.lastId()).isEqualTo(new BsonInt32(3));
        assertThat(checkpointed.fetchedUpToId()).isEqualTo(new BsonInt32(9));
        assertThat(state.toSplit().lastId()).isEqualTo(new BsonInt32(4));
        assertThat(split.lastId()).isNull();
    }

    private static void assertBsonTypes(BsonValue actual, BsonValue expected) {
        if (expected == null) {
            assertThat(actual).isNull();
        } else {
            assertThat(actual.getBsonType()).isEqualTo(expected.getBsonType());
        }
    }

    private static SnapshotSplit roundTrip(SnapshotSplit split) throws IOException {
        byte[] bytes =
                SimpleVersionedSerialization.writeVersionAndSerialize(
                        SnapshotSplitSerializer.INSTANCE, split);
        return deserialize(bytes);
    }

    private static SnapshotSplit deserialize(byte[] bytes) throws IOException {
        return SimpleVersionedSerialization.readVersionAndDeSerialize(
                SnapshotSplitSerializer.INSTANCE, bytes);
    }
}
