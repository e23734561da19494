package io.mongoresume.connectors.cdc;

import org.apache.flink.annotation.Internal;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;

import javax.annotation.Nullable;

import java.time.Instant;

/** Formatting and decoding of resume points, shared by the enumerator, the reader and error messages. */
@Internal
public final class ChangeStreamPositions {

    /** KeyString type byte that starts a real MongoDB resume token's {@code _data}: the cluster time. */
    private static final String KEYSTRING_TIMESTAMP_PREFIX = "82";

    private ChangeStreamPositions() {}

    /** {@code 2026-11-26T08:51:57Z (1795683117, 3)}; "unknown" for null. */
    public static String describe(@Nullable BsonTimestamp time) {
        if (time == null) {
            return "unknown";
        }
        return Instant.ofEpochSecond(time.getTime()) + " (" + time.getTime() + ", " + time.getInc() + ")";
    }

    /** The resume point as text for logs and error messages. */
    public static String describe(@Nullable BsonDocument token, @Nullable BsonTimestamp time) {
        if (token != null) {
            BsonTimestamp decoded = clusterTimeOf(token);
            return "resume token "
                    + token.toJson()
                    + (decoded != null ? " (cluster time " + describe(decoded) + ")" : "")
                    + (time != null && decoded == null ? " (last cluster time " + describe(time) + ")" : "");
        }
        return time != null ? "operation time " + describe(time) : "the current time";
    }

    /**
     * The cluster time a real MongoDB resume token starts with (hex {@code 82} + 8 bytes, big-endian seconds
     * and increment), or null when the token has another format (e.g. the embedded test server's).
     */
    @Nullable
    public static BsonTimestamp clusterTimeOf(@Nullable BsonDocument token) {
        if (token == null) {
            return null;
        }
        BsonValue data = token.get("_data");
        if (data == null || !data.isString()) {
            return null;
        }
        String hex = data.asString().getValue();
        if (hex.length() < 18 || !hex.regionMatches(true, 0, KEYSTRING_TIMESTAMP_PREFIX, 0, 2)) {
            return null;
        }
        try {
            long seconds = Long.parseLong(hex.substring(2, 10), 16);
            long increment = Long.parseLong(hex.substring(10, 18), 16);
            return new BsonTimestamp((int) seconds, (int) increment);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
