package io.mongoresume.connectors.cdc.split;

import org.apache.flink.annotation.Internal;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;

import javax.annotation.Nullable;

/**
 * The mutable progress of a {@link ChangeStreamSplit} inside the reader. The emitter advances it
 * after every record it handles, so a checkpoint (taken between records) holds exactly the position
 * of the last emitted event and a restore neither repeats nor skips one.
 */
@Internal
public final class ChangeStreamSplitState {

    private ChangeStreamSplit split;

    public ChangeStreamSplitState(ChangeStreamSplit split) {
        this.split = split;
    }

    public void advance(@Nullable BsonDocument resumeToken, @Nullable BsonTimestamp operationTime) {
        split = split.withPosition(resumeToken, operationTime);
    }

    public ChangeStreamSplit toSplit() {
        return split;
    }
}
