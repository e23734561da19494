package io.mongoresume.connectors.snapshot.query;

import org.apache.flink.annotation.Internal;

import io.mongoresume.connectors.common.bson.BsonBytes;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonRegularExpression;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;

/**
 * MongoDB's sort order of BSON values (simple collation), used where the client must order {@code
 * _id}s itself: checking that partition boundaries strictly increase, de-duplicating interpolated
 * boundaries and counting re-fetched documents after a restore. Numbers compare by value across
 * int/long/double/decimal (NaN lowest), strings by their UTF-8 bytes, binaries by length, subtype,
 * then bytes.
 */
@Internal
public final class IdComparator implements Comparator<BsonValue> {

    public static final IdComparator INSTANCE = new IdComparator();

    private IdComparator() {}

    @Override
    public int compare(BsonValue a, BsonValue b) {
        int byRank = Integer.compare(rank(a.getBsonType()), rank(b.getBsonType()));
        if (byRank != 0) {
            return byRank;
        }
        switch (a.getBsonType()) {
            case MIN_KEY:
            case MAX_KEY:
            case NULL:
            case UNDEFINED:
                return 0;
            case INT32:
            case INT64:
            case DOUBLE:
            case DECIMAL128:
                return compareNumbers(a, b);
            case STRING:
            case SYMBOL:
                return compareUnsigned(utf8(a), utf8(b));
            case DOCUMENT:
                return compareDocuments(a.asDocument(), b.asDocument());
            case ARRAY:
                return compareArrays(a.asArray(), b.asArray());
            case BINARY:
                return compareBinaries(a.asBinary(), b.asBinary());
            case OBJECT_ID:
                return compareUnsigned(
                        a.asObjectId().getValue().toByteArray(),
                        b.asObjectId().getValue().toByteArray());
            case BOOLEAN:
                return Boolean.compare(a.asBoolean().getValue(), b.asBoolean().getValue());
            case DATE_TIME:
                return Long.compare(a.asDateTime().getValue(), b.asDateTime().getValue());
            case TIMESTAMP:
                return Long.compareUnsigned(a.asTimestamp().getValue(), b.asTimestamp().getValue());
            case REGULAR_EXPRESSION:
                BsonRegularExpression ra = a.asRegularExpression();
                BsonRegularExpression rb = b.asRegularExpression();
                int byPattern = ra.getPattern().compareTo(rb.getPattern());
                return byPattern != 0 ? byPattern : ra.getOptions().compareTo(rb.getOptions());
            default:
                return compareUnsigned(BsonBytes.valueToBytes(a), BsonBytes.valueToBytes(b));
        }
    }

    /** MongoDB's canonical type order; types of one comparison bracket share a rank. */
    static int rank(BsonType type) {
        switch (type) {
            case MIN_KEY:
                return 0;
            case NULL:
            case UNDEFINED:
                return 1;
            case INT32:
            case INT64:
            case DOUBLE:
            case DECIMAL128:
                return 2;
            case STRING:
            case SYMBOL:
                return 3;
            case DOCUMENT:
                return 4;
            case ARRAY:
                return 5;
            case BINARY:
                return 6;
            case OBJECT_ID:
                return 7;
            case BOOLEAN:
                return 8;
            case DATE_TIME:
                return 9;
            case TIMESTAMP:
                return 10;
            case REGULAR_EXPRESSION:
                return 11;
            case DB_POINTER:
                return 12;
            case JAVASCRIPT:
                return 13;
            case JAVASCRIPT_WITH_SCOPE:
                return 14;
            case MAX_KEY:
                return 15;
            default:
                return 16;
        }
    }

    /** A number as a BigDecimal; null for NaN and infinities. */
    public static BigDecimal toBigDecimalOrNull(BsonValue number) {
        switch (number.getBsonType()) {
            case INT32:
                return BigDecimal.valueOf(number.asInt32().getValue());
            case INT64:
                return BigDecimal.valueOf(number.asInt64().getValue());
            case DOUBLE:
                double d = number.asDouble().getValue();
                return Double.isNaN(d) || Double.isInfinite(d) ? null : new BigDecimal(d);
            case DECIMAL128:
                Decimal128 dec = number.asDecimal128().getValue();
                return dec.isNaN() || dec.isInfinite() ? null : dec.bigDecimalValue();
            default:
                throw new IllegalArgumentException("Not a number: " + number.getBsonType());
        }
    }

    /** -1 for -infinity, +1 for +infinity, 0 for finite numbers; NaN yields -2 (lowest). */
    private static int infinitySign(BsonValue number) {
        double d;
        if (number.getBsonType() == BsonType.DOUBLE) {
            d = number.asDouble().getValue();
        } else if (number.getBsonType() == BsonType.DECIMAL128) {
            Decimal128 dec = number.asDecimal128().getValue();
            if (dec.isNaN()) {
                return -2;
            }
            if (!dec.isInfinite()) {
                return 0;
            }
            return dec.isNegative() ? -1 : 1;
        } else {
            return 0;
        }
        if (Double.isNaN(d)) {
            return -2;
        }
        return Double.isInfinite(d) ? (d < 0 ? -1 : 1) : 0;
    }

    private static int compareNumbers(BsonValue a, BsonValue b) {
        int sa = infinitySign(a);
        int sb = infinitySign(b);
        if (sa != 0 || sb != 0) {
            return Integer.compare(sa, sb);
        }
        return toBigDecimalOrNull(a).compareTo(toBigDecimalOrNull(b));
    }

    private static byte[] utf8(BsonValue s) {
        String value = s.isString() ? s.asString().getValue() : s.asSymbol().getSymbol();
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static int compareBinaries(BsonBinary a, BsonBinary b) {
        int byLength = Integer.compare(a.getData().length, b.getData().length);
        if (byLength != 0) {
            return byLength;
        }
        int bySubtype = Integer.compare(a.getType() & 0xff, b.getType() & 0xff);
        return bySubtype != 0 ? bySubtype : compareUnsigned(a.getData(), b.getData());
    }

    private int compareDocuments(BsonDocument a, BsonDocument b) {
        Iterator<Map.Entry<String, BsonValue>> ia = a.entrySet().iterator();
        Iterator<Map.Entry<String, BsonValue>> ib = b.entrySet().iterator();
        while (ia.hasNext() && ib.hasNext()) {
            Map.Entry<String, BsonValue> ea = ia.next();
            Map.Entry<String, BsonValue> eb = ib.next();
            int byType =
                    Integer.compare(
                            rank(ea.getValue().getBsonType()), rank(eb.getValue().getBsonType()));
            if (byType != 0) {
                return byType;
            }
            int byName =
                    compareUnsigned(
                            ea.getKey().getBytes(StandardCharsets.UTF_8),
                            eb.getKey().getBytes(StandardCharsets.UTF_8));
            if (byName != 0) {
                return byName;
            }
            int byValue = compare(ea.getValue(), eb.getValue());
            if (byValue != 0) {
                return byValue;
            }
        }
        return Boolean.compare(ia.hasNext(), ib.hasNext());
    }

    private int compareArrays(BsonArray a, BsonArray b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    static int compareUnsigned(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }
}
