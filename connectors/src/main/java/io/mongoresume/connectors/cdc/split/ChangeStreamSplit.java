package io.mongoresume.connectors.cdc.split;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;

import io.mongoresume.connectors.cdc.offset.ChangeStreamOffset;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;

import javax.annotation.Nullable;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The change stream of one collection and where it resumes. Immutable: progress makes a copy
 * ({@link #withPosition}). Resume ladder: {@code startAfter(resumeToken)} when a token is known,
 * otherwise {@code startAtOperationTime(operationTime)} (inclusive).
 *
 * @param resumeToken token of the last event emitted (or of the stream's high-water mark); null
 *     before the first one
 * @param operationTime the start time, later the cluster time of the last event; used only while
 *     there is no token
 */
@Internal
public record ChangeStreamSplit(
        String database,
        String collection,
        @Nullable BsonDocument resumeToken,
        @Nullable BsonTimestamp operationTime)
        implements SourceSplit {

    public ChangeStreamSplit {
        checkNotNull(database, "database");
        checkNotNull(collection, "collection");
        checkArgument(
                resumeToken != null || operationTime != null,
                "A change-stream split needs a resume token or an operation time: %s.%s",
                database,
                collection);
        resumeToken = resumeToken == null ? null : resumeToken.clone();
    }

    public static String splitIdOf(String database, String collection) {
        return database + '.' + collection;
    }

    @Override
    public String splitId() {
        return splitIdOf(database, collection);
    }

    /** A copy; callers may not change the split through it. */
    @Nullable
    public BsonDocument resumeToken() {
        return resumeToken == null ? null : resumeToken.clone();
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
    public String toString() {
        return "ChangeStreamSplit{" + splitId() + ", " + describePosition() + '}';
    }
}
