package io.mongoresume.connectors.event;

import io.mongoresume.connectors.common.bson.BsonBytes;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

import java.math.BigDecimal;
import java.util.Base64;

/**
 * The key that snapshot rows and change events of one document share: namespace plus a canonical
 * form of the {@code _id}. It is a {@link String}, so it has content equality and a stable hash
 * (keyBy on a raw {@code byte[]} would scatter one {@code _id} over many subtasks). MongoDB treats
 * numerically equal ids of different types ({@code 1}, {@code NumberLong(1)}, {@code 1.0}) as the
 * same document, so numbers are normalised. Embedded-document ids are keyed by their exact bytes.
 */
public final class EventKeys {

    private static final char SEPARATOR = '\u0000';

    private EventKeys() {}

    public static String key(String database, String collection, BsonValue id) {
        return database + '.' + collection + SEPARATOR + canonicalId(id);
    }

    public static String collectionKey(String database, String collection) {
        return database + '.' + collection + SEPARATOR;
    }

    /**
     * The namespace ({@code db.collection}) of a key made by {@link #key} or {@link
     * #collectionKey}.
     */
    public static String namespaceOf(String key) {
        int at = key.indexOf(SEPARATOR);
        return at < 0 ? key : key.substring(0, at);
    }

    static String canonicalId(BsonValue id) {
        switch (id.getBsonType()) {
            case INT32:
                return "n" + id.asInt32().getValue();
            case INT64:
                return "n" + id.asInt64().getValue();
            case DOUBLE:
                return canonicalDouble(id.asDouble().getValue());
            case DECIMAL128:
                return canonicalDecimal(id.asDecimal128().getValue());
            case STRING:
                return "s" + id.asString().getValue();
            case SYMBOL:
                return "s" + id.asSymbol().getSymbol();
            case OBJECT_ID:
                return "o" + id.asObjectId().getValue().toHexString();
            default:
                return "x"
                        + id.getBsonType().getValue()
                        + Base64.getEncoder().encodeToString(BsonBytes.valueToBytes(id));
        }
    }

    private static String canonicalDouble(double value) {
        if (Double.isNaN(value)) {
            return "nNaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "nInf" : "n-Inf";
        }
        return canonicalNumber(new BigDecimal(value));
    }

    private static String canonicalDecimal(Decimal128 value) {
        if (value.isNaN()) {
            return "nNaN";
        }
        if (value.isInfinite()) {
            return value.isNegative() ? "n-Inf" : "nInf";
        }
        return canonicalNumber(value.bigDecimalValue());
    }

    private static String canonicalNumber(BigDecimal value) {
        if (value.signum() == 0) {
            return "n0";
        }
        return "n" + value.stripTrailingZeros().toPlainString();
    }
}
