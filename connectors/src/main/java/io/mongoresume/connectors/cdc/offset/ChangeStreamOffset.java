package io.mongoresume.connectors.cdc.offset;

import org.apache.flink.annotation.Internal;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;

import javax.annotation.Nullable;

import java.time.Instant;

/**
 * A position in a change stream: a resume token, a cluster time, both, or neither (the stream then
 * starts at the current time). A stream reopens {@code startAfter} the token when there is one,
 * else {@code startAtOperationTime} the cluster time. Immutable. Also formats positions and cluster
 * times for logs and error messages, and decodes the cluster time a real MongoDB resume token
 * starts with.
 *
 * <p>Not {@link Comparable}: the embedded test server's tokens carry no time, so two positions
 * cannot always be ordered.
 *
 * @param resumeToken the token of the last event read, or null; copied in and out
 * @param clusterTime a start time, or the cluster time of the last event read, or null; as given
 *     (not decoded from the token)
 */
@Internal
public record ChangeStreamOffset(
        @Nullable BsonDocument resumeToken, @Nullable BsonTimestamp clusterTime) {

    /**
     * KeyString type byte that starts a real MongoDB resume token's {@code _data}: the cluster
     * time.
     */
    private static final String KEYSTRING_TIMESTAMP_PREFIX = "82";

    public ChangeStreamOffset {
        resumeToken = resumeToken == null ? null : resumeToken.clone();
    }

    /** A copy, or null. */
    @Nullable
    public BsonDocument resumeToken() {
        return resumeToken == null ? null : resumeToken.clone();
    }

    /**
     * The cluster time the stream stands at: decoded from the token where it can be, else the given
     * time; null when neither is known.
     */
    @Nullable
    public BsonTimestamp timestamp() {
        BsonTimestamp decoded = clusterTimeOf(resumeToken);
        return decoded != null ? decoded : clusterTime;
    }

    /**
     * E.g. {@code resume token {"_data": "82..."} (cluster time 2026-11-26T08:51:57Z (1795683117,
     * 3))}, {@code operation time 2026-11-26T08:51:57Z (1795683117, 3)} or {@code the current
     * time}.
     */
    public String describe() {
        if (resumeToken != null) {
            BsonTimestamp decoded = clusterTimeOf(resumeToken);
            if (decoded != null) {
                return "resume token "
                        + resumeToken.toJson()
                        + " (cluster time "
                        + describe(decoded)
                        + ")";
            }
            return "resume token "
                    + resumeToken.toJson()
                    + (clusterTime != null
                            ? " (last cluster time " + describe(clusterTime) + ")"
                            : "");
        }
        return clusterTime != null ? "operation time " + describe(clusterTime) : "the current time";
    }

    /** {@code 2026-11-26T08:51:57Z (1795683117, 3)}; "unknown" for null. */
    public static String describe(@Nullable BsonTimestamp time) {
        if (time == null) {
            return "unknown";
        }
        return Instant.ofEpochSecond(time.getTime())
                + " ("
                + time.getTime()
                + ", "
                + time.getInc()
                + ")";
    }

    /**
     * The cluster time at the start of the instant's second: increment 0, so an inclusive start
     * covers it.
     */
    public static BsonTimestamp atSecond(Instant instant) {
        return new BsonTimestamp((int) instant.getEpochSecond(), 0);
    }

    /**
     * The cluster time a real MongoDB resume token starts with (hex {@code 82} + 8 bytes,
     * big-endian seconds and increment), or null when the token has another format (e.g. the
     * embedded test server's).
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

    @Override
    public String toString() {
        return "ChangeStreamOffset{" + describe() + '}';
    }
}
