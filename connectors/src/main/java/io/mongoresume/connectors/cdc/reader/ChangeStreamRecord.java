package io.mongoresume.connectors.cdc.reader;

import org.apache.flink.annotation.Internal;

import io.mongoresume.connectors.event.MigrationEvent;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;

import javax.annotation.Nullable;

/**
 * What the split reader hands to the emitter: an event to emit (or none, for change-stream entries
 * that produce no event but still move the resume point), and the position right after it. Also
 * marks the moment a stream has been read up to its end ({@link #caughtUp()}), for the lag metric.
 */
@Internal
public record ChangeStreamRecord(
        @Nullable MigrationEvent event,
        @Nullable BsonDocument resumeToken,
        @Nullable BsonTimestamp clusterTime,
        boolean caughtUp) {

    static ChangeStreamRecord event(
            MigrationEvent event,
            @Nullable BsonDocument resumeToken,
            @Nullable BsonTimestamp clusterTime) {
        return new ChangeStreamRecord(event, resumeToken, clusterTime, false);
    }

    /**
     * Moves the resume point without emitting anything (skipped entries, post-batch resume tokens).
     */
    static ChangeStreamRecord positionOnly(
            @Nullable BsonDocument resumeToken, @Nullable BsonTimestamp clusterTime) {
        return new ChangeStreamRecord(null, resumeToken, clusterTime, false);
    }

    /** The stream has no more events for now: everything before this record is all there was. */
    static ChangeStreamRecord caughtUpMarker() {
        return new ChangeStreamRecord(null, null, null, true);
    }

    @Override
    public String toString() {
        return "ChangeStreamRecord{"
                + event
                + ", token="
                + resumeToken
                + ", caughtUp="
                + caughtUp
                + '}';
    }
}
