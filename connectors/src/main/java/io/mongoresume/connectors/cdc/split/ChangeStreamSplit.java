package io.mongoresume.connectors.cdc.split;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;

import javax.annotation.Nullable;

import java.util.Objects;

import io.mongoresume.connectors.cdc.offset.ChangeStreamOffset;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The change stream of one collection and where it resumes. Immutable: progress makes a copy
 * ({@link #withPosition}). Resume ladder: {@code startAfter(resumeToken)} when a token is known, otherwise
 * {@code startAtOperationTime(operationTime)} (inclusive).
 */
@Internal
public final class ChangeStreamSplit implements SourceSplit {

    private final String database;
    private final String collection;
    /** Token of the last event emitted (or of the stream's high-water mark); null before the first one. */
    @Nullable private final BsonDocument resumeToken;
    /** The start time, later the cluster time of the last event; used only while there is no token. */
    @Nullable private final BsonTimestamp operationTime;

    public ChangeStreamSplit(
            String database,
            String collection,
            @Nullable BsonDocument resumeToken,
            @Nullable BsonTimestamp operationTime) {
        this.database = checkNotNull(database, "database");
        this.collection = checkNotNull(collection, "collection");
        checkArgument(
                resumeToken != null || operationTime != null,
                "A change-stream split needs a resume token or an operation time: %s.%s",
                database,
                collection);
        this.resumeToken = resumeToken == null ? null : resumeToken.clone();
        this.operationTime = operationTime;
    }

    public static String splitIdOf(String database, String collection) {
        return database + '.' + collection;
    }

    @Override
    public String splitId() {
        return splitIdOf(database, collection);
    }

    public String database() {
        return database;
    }

    public String collection() {
        return collection;
    }

    /** A copy; callers may not change the split through it. */
    @Nullable
    public BsonDocument resumeToken() {
        return resumeToken == null ? null : resumeToken.clone();
    }

    @Nullable
    public BsonTimestamp operationTime() {
        return operationTime;
    }

    /** A copy that resumes from this position; a null argument keeps the current value. */
    public ChangeStreamSplit withPosition(
            @Nullable BsonDocument newToken, @Nullable BsonTimestamp newOperationTime) {
        return new ChangeStreamSplit(
                database,
                collection,
                newToken != null ? newToken : resumeToken,
                newOperationTime != null ? newOperationTime : operationTime);
    }

    public String describePosition() {
        return new ChangeStreamOffset(resumeToken, operationTime).describe();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ChangeStreamSplit)) {
            return false;
        }
        ChangeStreamSplit that = (ChangeStreamSplit) o;
        return database.equals(that.database)
                && collection.equals(that.collection)
                && Objects.equals(resumeToken, that.resumeToken)
                && Objects.equals(operationTime, that.operationTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(database, collection, resumeToken, operationTime);
    }

    @Override
    public String toString() {
        return "ChangeStreamSplit{" + splitId() + ", " + describePosition() + '}';
    }
}
