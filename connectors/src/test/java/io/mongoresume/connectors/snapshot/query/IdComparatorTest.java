package io.mongoresume.connectors.snapshot.query;

import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class IdComparatorTest {

    @Test
    void sortsLikeMongoDb() {
        List<BsonValue> expected =
                List.of(
                        new BsonMinKey(),
                        BsonNull.VALUE,
                        new BsonDouble(Double.NaN),
                        new BsonDouble(Double.NEGATIVE_INFINITY),
                        new BsonInt64(Long.MIN_VALUE),
                        new BsonInt32(-1),
                        new BsonDecimal128(Decimal128.parse("0.5")),
                        new BsonInt32(1),
                        new BsonDouble(1.5),
                        new BsonInt64(1L << 53),
                        new BsonDouble(Double.POSITIVE_INFINITY),
                        new BsonString(""),
                        new BsonString("A"),
                        new BsonString("a"),
                        new BsonString("é"),
                        new BsonString("\uffff"),
                        new BsonString("😀"),
                        new BsonDocument("a", new BsonInt32(1)),
                        new BsonDocument("a", new BsonInt32(2)),
                        // field values compare by type before field names are looked at
                        new BsonDocument("b", new BsonInt32(0)),
                        new BsonDocument("a", new BsonString("x")),
                        new BsonBinary(new byte[] {9}),
                        new BsonBinary((byte) 4, new byte[] {0}),
                        new BsonBinary(new byte[] {0, 0}),
                        new BsonObjectId(new ObjectId("000000000000000000000001")),
                        new BsonObjectId(new ObjectId("ff0000000000000000000000")),
                        BsonBoolean.FALSE,
                        BsonBoolean.TRUE,
                        new BsonDateTime(-1),
                        new BsonDateTime(5),
                        new BsonTimestamp(1, 0),
                        new BsonTimestamp(-1, 0), // unsigned seconds: the largest
                        new BsonMaxKey());
        List<BsonValue> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new Random(7));
        shuffled.sort(IdComparator.INSTANCE);
        assertThat(shuffled).containsExactlyElementsOf(expected);
    }

    @Test
    void numbersCompareByValueAcrossTypes() {
        assertThat(IdComparator.INSTANCE.compare(new BsonInt32(1), new BsonDouble(1.0))).isZero();
        assertThat(
                        IdComparator.INSTANCE.compare(
                                new BsonInt64(3), new BsonDecimal128(Decimal128.parse("3.00"))))
                .isZero();
        assertThat(
                        IdComparator.INSTANCE.compare(
                                new BsonInt64(Long.MAX_VALUE), new BsonDouble(9.3e18)))
                .isLessThan(0);
    }
}
