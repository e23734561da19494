package io.mongoresume.connectors.snapshot.reader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

import io.mongoresume.connectors.event.EventKeys;
import org.bson.BsonArray;
import org.bson.BsonInt32;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

import static org.apache.flink.util.Preconditions.checkArgument;

/**
 * How a snapshot reader reaches every subtask of the merge with one record each: keyBy sends a
 * record by the hash of its key, so for each collection this picks, per merge subtask, a routing
 * {@code _id} whose key lands there. The ids are arrays, which no document {@code _id} can be, so a
 * marker never shares a key with a document. Must be given the merge's parallelism and max
 * parallelism, exactly as the job graph has them.
 */
@Internal
public final class MarkerRouting implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Far more candidates than the hash needs to cover every subtask; a bound, not a tuning knob.
     */
    private static final int MAX_CANDIDATES = 10_000_000;

    private final int parallelism;
    private final int maxParallelism;

    public MarkerRouting(int parallelism, int maxParallelism) {
        checkArgument(
                parallelism > 0 && parallelism <= maxParallelism,
                "parallelism %s of max %s",
                parallelism,
                maxParallelism);
        this.parallelism = parallelism;
        this.maxParallelism = maxParallelism;
    }

    /** One routing id per merge subtask, in subtask order. */
    public List<BsonArray> routingIds(String database, String collection) {
        BsonArray[] ids = new BsonArray[parallelism];
        int found = 0;
        for (int i = 0; found < parallelism; i++) {
            checkArgument(i < MAX_CANDIDATES, "No routing key found for every merge subtask");
            BsonArray id = new BsonArray(List.of(new BsonInt32(i)));
            int subtask =
                    KeyGroupRangeAssignment.assignKeyToParallelOperator(
                            EventKeys.key(database, collection, id), maxParallelism, parallelism);
            if (ids[subtask] == null) {
                ids[subtask] = id;
                found++;
            }
        }
        return Arrays.asList(ids);
    }

    @Override
    public String toString() {
        return "MarkerRouting{parallelism="
                + parallelism
                + ", maxParallelism="
                + maxParallelism
                + '}';
    }
}
