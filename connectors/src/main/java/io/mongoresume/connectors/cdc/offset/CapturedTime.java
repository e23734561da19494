package io.mongoresume.connectors.cdc.offset;

import org.apache.flink.annotation.Internal;

import org.bson.BsonTimestamp;

import static org.apache.flink.util.Preconditions.checkNotNull;

/** A cluster time {@link ClusterTimeCapture} took and where it came from. */
@Internal
public record CapturedTime(BsonTimestamp time, Source source) {

    /** Where a captured time came from, best first. */
    public enum Source {
        CHANGE_STREAM_RESUME_TOKEN(true),
        COMMAND_OPERATION_TIME(true),
        SERVER_LOCAL_TIME(false),
        CLIENT_TIME(false);

        private final boolean exact;

        Source(boolean exact) {
            this.exact = exact;
        }

        /** Whether the time is a server-provided cluster time (no margin needed). */
        public boolean isExact() {
            return exact;
        }
    }

    public CapturedTime {
        checkNotNull(time);
        checkNotNull(source);
    }

    @Override
    public String toString() {
        return ChangeStreamOffset.describe(time) + " from " + source;
    }
}
