package io.mongoresume.connectors.common.bson;

import org.bson.BsonType;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * MongoDB's comparison brackets for {@code _id} values, in MongoDB's sort order. A range filter
 * such as {@code {_id: {$gte: a, $lt: b}}} only matches values in the bracket of {@code a} and
 * {@code b}, so a collection whose {@code _id}s mix types is split per bracket. {@link
 * #typeAliases()} are the {@code $type} names that select exactly the bracket. Arrays and regular
 * expressions cannot be {@code _id}s.
 */
public enum TypeBracket {
    MIN_KEY(Collections.singletonList("minKey"), BsonType.MIN_KEY),
    NULL(Arrays.asList("null", "undefined"), BsonType.NULL, BsonType.UNDEFINED),
    NUMBER(
            Arrays.asList("int", "long", "double", "decimal"),
            BsonType.INT32,
            BsonType.INT64,
            BsonType.DOUBLE,
            BsonType.DECIMAL128),
    STRING(Arrays.asList("string", "symbol"), BsonType.STRING, BsonType.SYMBOL),
    OBJECT(Collections.singletonList("object"), BsonType.DOCUMENT),
    BINARY(Collections.singletonList("binData"), BsonType.BINARY),
    OBJECT_ID(Collections.singletonList("objectId"), BsonType.OBJECT_ID),
    BOOLEAN(Collections.singletonList("bool"), BsonType.BOOLEAN),
    DATE(Collections.singletonList("date"), BsonType.DATE_TIME),
    TIMESTAMP(Collections.singletonList("timestamp"), BsonType.TIMESTAMP),
    /** JavaScript and DBPointer ids: legal, vanishingly rare, one unbounded split each. */
    OTHER(
            Arrays.asList("javascript", "javascriptWithScope", "dbPointer"),
            BsonType.JAVASCRIPT,
            BsonType.JAVASCRIPT_WITH_SCOPE,
            BsonType.DB_POINTER),
    MAX_KEY(Collections.singletonList("maxKey"), BsonType.MAX_KEY);

    private final List<String> typeAliases;
    private final List<BsonType> bsonTypes;

    TypeBracket(List<String> typeAliases, BsonType... bsonTypes) {
        this.typeAliases = Collections.unmodifiableList(typeAliases);
        this.bsonTypes = Collections.unmodifiableList(Arrays.asList(bsonTypes));
    }

    public List<String> typeAliases() {
        return typeAliases;
    }

    public List<BsonType> bsonTypes() {
        return bsonTypes;
    }

    public static TypeBracket of(BsonType type) {
        for (TypeBracket bracket : values()) {
            if (bracket.bsonTypes.contains(type)) {
                return bracket;
            }
        }
        throw new IllegalArgumentException("BSON type " + type + " cannot be an _id");
    }
}
