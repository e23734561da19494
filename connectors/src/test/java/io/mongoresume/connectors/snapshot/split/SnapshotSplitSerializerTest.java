package io.mongoresume.connectors.snapshot.split;

import org.apache.flink.core.io.SimpleVersionedSerialization;

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

import io.mongoresume.connectors.common.bson.TypeBracket;

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
        assertThatThrownBy(() -> SnapshotSplitSerializer.INSTANCE.deserialize(2, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Unknown snapshot split serializer version 2");
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
        return SimpleVersionedSerialization.readVersionAndDeSerialize(
                SnapshotSplitSerializer.INSTANCE, bytes);
    }
}
