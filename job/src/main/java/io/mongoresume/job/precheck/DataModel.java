package io.mongoresume.job.precheck;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonType;
import org.bson.BsonValue;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Field paths seen in sampled documents and the BSON types each held, like a schema panel: nested
 * fields are dotted ({@code address.city}), array elements appear under {@code field[]}. Bounded by
 * {@link #MAX_FIELDS} so a document with generated field names cannot blow the report up.
 */
final class DataModel {

    static final int MAX_FIELDS = 500;
    private static final int MAX_DEPTH = 20;

    private final Map<String, SortedSet<String>> types = new TreeMap<>();
    private final Map<String, Long> counts = new TreeMap<>();
    private long documents;
    private boolean truncated;

    void add(BsonDocument document) {
        documents++;
        walk("", document, 0);
    }

    private void walk(String prefix, BsonDocument document, int depth) {
        for (Map.Entry<String, BsonValue> field : document.entrySet()) {
            record(prefix + field.getKey(), field.getValue(), depth);
        }
    }

    private void record(String path, BsonValue value, int depth) {
        if (!types.containsKey(path) && types.size() >= MAX_FIELDS) {
            truncated = true;
            return;
        }
        types.computeIfAbsent(path, p -> new TreeSet<>()).add(typeName(value.getBsonType()));
        counts.merge(path, 1L, Long::sum);
        if (depth >= MAX_DEPTH) {
            return;
        }
        if (value.isDocument()) {
            walk(path + ".", value.asDocument(), depth + 1);
        } else if (value.isArray()) {
            BsonArray array = value.asArray();
            for (BsonValue element : array) {
                record(path + "[]", element, depth + 1);
            }
        }
    }

    long documents() {
        return documents;
    }

    boolean truncated() {
        return truncated;
    }

    /** Field path to the sorted {@code $type} names seen. */
    Map<String, SortedSet<String>> fields() {
        return Collections.unmodifiableMap(types);
    }

    /** For JSON: field path to {types, seenIn}. */
    Map<String, Object> toData() {
        Map<String, Object> fields = new LinkedHashMap<>();
        types.forEach(
                (path, seen) -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("types", seen);
                    entry.put("seenIn", counts.get(path));
                    fields.put(path, entry);
                });
        return fields;
    }

    /** {@code a: int, b.c: double|string, ...}. */
    String describe(int maxFields) {
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (Map.Entry<String, SortedSet<String>> field : types.entrySet()) {
            if (shown == maxFields) {
                out.append(", ... (").append(types.size() - shown).append(" more)");
                break;
            }
            if (shown++ > 0) {
                out.append(", ");
            }
            out.append(field.getKey()).append(": ").append(String.join("|", field.getValue()));
        }
        return out.toString();
    }

    /** MongoDB's {@code $type} alias of a BSON type. */
    static String typeName(BsonType type) {
        switch (type) {
            case DOUBLE:
                return "double";
            case STRING:
                return "string";
            case DOCUMENT:
                return "object";
            case ARRAY:
                return "array";
            case BINARY:
                return "binData";
            case UNDEFINED:
                return "undefined";
            case OBJECT_ID:
                return "objectId";
            case BOOLEAN:
                return "bool";
            case DATE_TIME:
                return "date";
            case NULL:
                return "null";
            case REGULAR_EXPRESSION:
                return "regex";
            case DB_POINTER:
                return "dbPointer";
            case JAVASCRIPT:
                return "javascript";
            case SYMBOL:
                return "symbol";
            case JAVASCRIPT_WITH_SCOPE:
                return "javascriptWithScope";
            case INT32:
                return "int";
            case TIMESTAMP:
                return "timestamp";
            case INT64:
                return "long";
            case DECIMAL128:
                return "decimal";
            case MIN_KEY:
                return "minKey";
            case MAX_KEY:
                return "maxKey";
            default:
                return type.name().toLowerCase();
        }
    }
}
