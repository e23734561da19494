package io.mongoresume.connectors.cdc.offset;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.PublicEvolving;

import io.mongoresume.connectors.common.bson.BsonBytes;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Where the change streams of a fresh start begin. Only a fresh start reads it: after a restore
 * from a checkpoint or savepoint every split carries its own resume point, which always wins.
 *
 * <p>Serializable without Java-serializing BSON: a token is kept as raw BSON bytes, a time as the
 * 64-bit value of its {@link BsonTimestamp}.
 */
@PublicEvolving
public final class StartPosition implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Default safety margin subtracted from time-based captured positions (clock skew, in-flight
     * writes).
     */
    public static final Duration DEFAULT_SAFETY_MARGIN = Duration.ofSeconds(5);

    /** How the position is given. */
    public enum Kind {
        /** Captured by the enumerator when it first starts, minus a safety margin. */
        CAPTURED_AT_FIRST_START,
        /** Captured by the enumerator when it first starts, without a margin. */
        NOW,
        /** A cluster time; {@code startAtOperationTime} is inclusive. */
        OPERATION_TIME,
        /** A resume token; the stream starts after the event it names ({@code startAfter}). */
        RESUME_TOKEN
    }

    private final Kind kind;
    private final long operationTime;
    @Nullable private final byte[] resumeToken;
    private final Duration safetyMargin;

    /**
     * What set the position (e.g. an option), for error messages; not part of the position itself.
     */
    @Nullable private final String origin;

    private StartPosition(
            Kind kind, long operationTime, @Nullable byte[] resumeToken, Duration margin) {
        this(kind, operationTime, resumeToken, margin, null);
    }

    private StartPosition(
            Kind kind,
            long operationTime,
            @Nullable byte[] resumeToken,
            Duration margin,
            @Nullable String origin) {
        this.kind = kind;
        this.operationTime = operationTime;
        this.resumeToken = resumeToken;
        this.safetyMargin = margin;
        this.origin = origin;
    }

    /**
     * The position is captured when the enumerator first starts (see {@link ClusterTimeCapture}),
     * minus {@link #DEFAULT_SAFETY_MARGIN} for time-based captures. For full+incremental the job
     * client should rather capture it itself before the snapshot source starts, and pass it as
     * {@link #atOperationTime}.
     */
    public static StartPosition capturedAtFirstStart() {
        return capturedAtFirstStart(DEFAULT_SAFETY_MARGIN);
    }

    public static StartPosition capturedAtFirstStart(Duration safetyMargin) {
        return new StartPosition(Kind.CAPTURED_AT_FIRST_START, 0L, null, checkMargin(safetyMargin));
    }

    /** Changes from when the enumerator first starts (captured like the default, no margin). */
    public static StartPosition now() {
        return new StartPosition(Kind.NOW, 0L, null, Duration.ZERO);
    }

    /**
     * Changes at or after this instant, rounded down to the second (cluster times have 1 s
     * resolution).
     */
    public static StartPosition atTime(Instant instant) {
        checkNotNull(instant, "instant");
        return atOperationTime(ChangeStreamOffset.atSecond(instant));
    }

    /** Changes at or after this cluster time (inclusive, {@code startAtOperationTime}). */
    public static StartPosition atOperationTime(BsonTimestamp operationTime) {
        checkNotNull(operationTime, "operationTime");
        return new StartPosition(
                Kind.OPERATION_TIME, operationTime.getValue(), null, Duration.ZERO);
    }

    /**
     * Changes after the event this token names ({@code startAfter}). A token belongs to one
     * collection's stream: use it with a single collection; for several collections use {@link
     * #atOperationTime}.
     */
    public static StartPosition resumeToken(BsonDocument token) {
        checkNotNull(token, "token");
        checkArgument(!token.isEmpty(), "resume token must not be empty");
        return new StartPosition(Kind.RESUME_TOKEN, 0L, BsonBytes.toBytes(token), Duration.ZERO);
    }

    /**
     * @param json the token as extended JSON, e.g. {@code {"_data": "8263..."}}
     */
    public static StartPosition resumeToken(String json) {
        checkNotNull(json, "json");
        BsonDocument token;
        try {
            token = BsonDocument.parse(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "Not a resume token (expected JSON like {\"_data\": \"...\"}): " + json, e);
        }
        return resumeToken(token);
    }

    /** The margin, checked: it is subtracted from a time, never added. */
    static Duration checkMargin(Duration safetyMargin) {
        checkArgument(!safetyMargin.isNegative(), "safety margin must not be negative");
        return safetyMargin;
    }

    /** A position as its parts, for state serializers ({@code resumeToken} as raw BSON bytes). */
    @Internal
    public static StartPosition of(
            Kind kind, long operationTime, @Nullable byte[] resumeToken, Duration safetyMargin) {
        checkNotNull(kind, "kind");
        checkArgument(
                (kind == Kind.RESUME_TOKEN) == (resumeToken != null),
                "a token goes with RESUME_TOKEN");
        return new StartPosition(kind, operationTime, resumeToken, checkNotNull(safetyMargin));
    }

    /**
     * A copy that names what set it, e.g. the option {@code cdc.start-at}: a stream that cannot
     * start there (the source no longer has that history, or does not know the token) names it in
     * its failure. Not part of {@link #equals}, and not kept in the enumerator's state: the readers
     * take it from the source.
     */
    public StartPosition withOrigin(String origin) {
        checkNotNull(origin, "origin");
        return new StartPosition(kind, operationTime, resumeToken, safetyMargin, origin);
    }

    /** What set the position ({@link #withOrigin}), or null. */
    @Nullable
    public String origin() {
        return origin;
    }

    /** The raw operation time (0 unless {@link Kind#OPERATION_TIME}). */
    @Internal
    public long operationTimeValue() {
        return operationTime;
    }

    /** The raw BSON bytes of the token, or null. */
    @Internal
    @Nullable
    public byte[] resumeTokenBytes() {
        return resumeToken == null ? null : resumeToken.clone();
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the enumerator captures the position itself at its first start. */
    public boolean isCaptured() {
        return kind == Kind.CAPTURED_AT_FIRST_START || kind == Kind.NOW;
    }

    public Duration safetyMargin() {
        return safetyMargin;
    }

    @Nullable
    public BsonTimestamp operationTime() {
        return kind == Kind.OPERATION_TIME ? new BsonTimestamp(operationTime) : null;
    }

    @Nullable
    public BsonDocument resumeToken() {
        return resumeToken == null ? null : BsonBytes.toMutableDocument(resumeToken);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StartPosition)) {
            return false;
        }
        StartPosition that = (StartPosition) o;
        return kind == that.kind
                && operationTime == that.operationTime
                && Arrays.equals(resumeToken, that.resumeToken)
                && safetyMargin.equals(that.safetyMargin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, operationTime, Arrays.hashCode(resumeToken), safetyMargin);
    }

    @Override
    public String toString() {
        String from = origin == null ? "" : ", from " + origin;
        switch (kind) {
            case OPERATION_TIME:
                return "StartPosition{operationTime="
                        + ChangeStreamOffset.describe(operationTime())
                        + from
                        + '}';
            case RESUME_TOKEN:
                return "StartPosition{resumeToken=" + resumeToken().toJson() + from + '}';
            default:
                return "StartPosition{" + kind + ", margin=" + safetyMargin + from + '}';
        }
    }
}
