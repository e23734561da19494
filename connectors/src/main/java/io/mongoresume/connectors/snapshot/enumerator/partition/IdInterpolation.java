package io.mongoresume.connectors.snapshot.enumerator.partition;

import org.apache.flink.annotation.Internal;

import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.snapshot.query.IdComparator;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * Boundaries between a bracket's smallest and largest {@code _id} for the MIN_MAX strategy.
 * Boundaries need not be existing ids, only valid values of the bracket that strictly increase;
 * they are returned sorted, de-duplicated and strictly inside {@code (min, max]}.
 */
@Internal
public final class IdInterpolation {

    /**
     * String boundaries stop before the first character at or above U+E000 (surrogates, the private
     * use area, supplementary characters). Below it UTF-8 byte order, UTF-16 order and code point
     * order agree, so the boundaries increase both for MongoDB (UTF-8 bytes) and for servers that
     * compare Java strings (the embedded test server sorts "😀" before "\uFFFF").
     */
    static final char ORDER_SAFE_LIMIT = '\uE000';

    /** Strings are interpolated over at most this many leading UTF-8 bytes. */
    static final int MAX_STRING_PREFIX_BYTES = 32;

    private IdInterpolation() {}

    /** Whether {@link #boundaries} can cut the bracket. */
    public static boolean interpolates(TypeBracket bracket) {
        return bracket == TypeBracket.NUMBER
                || bracket == TypeBracket.OBJECT_ID
                || bracket == TypeBracket.STRING
                || bracket == TypeBracket.DATE;
    }

    /** Up to {@code parts - 1} boundaries cutting {@code [min, max]} into {@code parts} ranges. */
    public static List<BsonValue> boundaries(BsonValue min, BsonValue max, int parts) {
        List<BsonValue> candidates = new ArrayList<>();
        if (parts > 1 && IdComparator.INSTANCE.compare(min, max) < 0) {
            for (int i = 1; i < parts; i++) {
                BsonValue b = at(min, max, i, parts);
                if (b != null) {
                    candidates.add(b);
                }
            }
        }
        TreeSet<BsonValue> sorted = new TreeSet<>(IdComparator.INSTANCE);
        for (BsonValue b : candidates) {
            if (IdComparator.INSTANCE.compare(b, min) > 0
                    && IdComparator.INSTANCE.compare(b, max) <= 0) {
                sorted.add(b);
            }
        }
        return Collections.unmodifiableList(new ArrayList<>(sorted));
    }

    /**
     * The i-th of {@code parts} steps from min to max, or null when the values cannot be
     * interpolated.
     */
    private static BsonValue at(BsonValue min, BsonValue max, int i, int parts) {
        TypeBracket bracket = TypeBracket.of(min.getBsonType());
        if (bracket != TypeBracket.of(max.getBsonType())) {
            return null;
        }
        switch (bracket) {
            case NUMBER:
                return number(min, max, i, parts);
            case OBJECT_ID:
                return new BsonObjectId(
                        new ObjectId(
                                toFixedBytes(
                                        step(
                                                new BigInteger(
                                                        1,
                                                        min.asObjectId().getValue().toByteArray()),
                                                new BigInteger(
                                                        1,
                                                        max.asObjectId().getValue().toByteArray()),
                                                i,
                                                parts),
                                        12)));
            case DATE:
                return new BsonDateTime(
                        step(
                                        BigInteger.valueOf(min.asDateTime().getValue()),
                                        BigInteger.valueOf(max.asDateTime().getValue()),
                                        i,
                                        parts)
                                .longValueExact());
            case STRING:
                return string(min, max, i, parts);
            default:
                return null;
        }
    }

    private static BigInteger step(BigInteger lo, BigInteger hi, int i, int parts) {
        return lo.add(
                hi.subtract(lo).multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(parts)));
    }

    private static BsonValue number(BsonValue min, BsonValue max, int i, int parts) {
        BigDecimal lo = IdComparator.toBigDecimalOrNull(min);
        BigDecimal hi = IdComparator.toBigDecimalOrNull(max);
        if (lo == null || hi == null) {
            return null; // NaN or infinite end: one split for the bracket
        }
        if (isIntegral(min) && isIntegral(max)) {
            long v =
                    step(lo.toBigIntegerExact(), hi.toBigIntegerExact(), i, parts).longValueExact();
            boolean bothInt32 =
                    min.getBsonType() == BsonType.INT32 && max.getBsonType() == BsonType.INT32;
            return bothInt32 ? new BsonInt32((int) v) : new BsonInt64(v);
        }
        BigDecimal v =
                lo.add(
                        hi.subtract(lo)
                                .multiply(BigDecimal.valueOf(i))
                                .divide(BigDecimal.valueOf(parts), MathContext.DECIMAL128),
                        MathContext.DECIMAL128);
        if (min.getBsonType() == BsonType.DECIMAL128 || max.getBsonType() == BsonType.DECIMAL128) {
            return new BsonDecimal128(new Decimal128(v));
        }
        return new BsonDouble(v.doubleValue());
    }

    private static boolean isIntegral(BsonValue v) {
        return v.getBsonType() == BsonType.INT32 || v.getBsonType() == BsonType.INT64;
    }

    private static BsonValue string(BsonValue min, BsonValue max, int i, int parts) {
        byte[] lo = utf8Prefix(min);
        byte[] hi = utf8Prefix(max);
        int length = Math.max(lo.length, hi.length);
        if (length == 0) {
            return null;
        }
        BigInteger v =
                step(
                        new BigInteger(1, Arrays.copyOf(lo, length)),
                        new BigInteger(1, Arrays.copyOf(hi, length)),
                        i,
                        parts);
        byte[] bytes = toFixedBytes(v, length);
        String boundary =
                new String(bytes, 0, validUtf8PrefixLength(bytes), StandardCharsets.UTF_8);
        int end = 0;
        while (end < boundary.length() && boundary.charAt(end) < ORDER_SAFE_LIMIT) {
            end++;
        }
        while (end > 0 && boundary.charAt(end - 1) == 0) {
            end--; // padding, not content
        }
        return new BsonString(boundary.substring(0, end));
    }

    private static byte[] utf8Prefix(BsonValue s) {
        String value = s.isString() ? s.asString().getValue() : s.asSymbol().getSymbol();
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return bytes.length > MAX_STRING_PREFIX_BYTES
                ? Arrays.copyOf(bytes, MAX_STRING_PREFIX_BYTES)
                : bytes;
    }

    /** An unsigned big-endian number as exactly {@code length} bytes (it fits by construction). */
    private static byte[] toFixedBytes(BigInteger v, int length) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    /**
     * The length of the longest prefix that is well-formed UTF-8 (no overlong forms, no surrogates,
     * nothing above U+10FFFF), so a boundary decodes to a string whose UTF-8 encoding is exactly
     * those bytes.
     */
    static int validUtf8PrefixLength(byte[] b) {
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xff;
            int n;
            int min2 = 0x80;
            int max2 = 0xbf;
            if (c < 0x80) {
                i++;
                continue;
            } else if (c >= 0xc2 && c <= 0xdf) {
                n = 1;
            } else if (c >= 0xe0 && c <= 0xef) {
                n = 2;
                if (c == 0xe0) {
                    min2 = 0xa0;
                } else if (c == 0xed) {
                    max2 = 0x9f;
                }
            } else if (c >= 0xf0 && c <= 0xf4) {
                n = 3;
                if (c == 0xf0) {
                    min2 = 0x90;
                } else if (c == 0xf4) {
                    max2 = 0x8f;
                }
            } else {
                return i;
            }
            if (i + n >= b.length) {
                return i;
            }
            int second = b[i + 1] & 0xff;
            if (second < min2 || second > max2) {
                return i;
            }
            for (int k = 2; k <= n; k++) {
                int cont = b[i + k] & 0xff;
                if (cont < 0x80 || cont > 0xbf) {
                    return i;
                }
            }
            i += n + 1;
        }
        return b.length;
    }
}
