package io.mongoresume.connectors.sink.writer;

import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;

import com.mongodb.MongoNamespace;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import io.mongoresume.connectors.event.EventKind;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.sink.writer.operation.WriteOp;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WriteBatcherTest {

    private final TestProcessingTimeService time = new TestProcessingTimeService();
    private final TargetCollection a = target("a");
    private final TargetCollection b = target("b");
    private final List<TargetCollection> targets = List.of(a, b);

    /** "namespace:writes@oldestAddedAt" per batch written, and "timer" per timer callback. */
    private final List<String> written = new ArrayList<>();

    private static TargetCollection target(String collection) {
        MongoNamespace ns = new MongoNamespace("db", collection);
        return new TargetCollection(
                ns, null, new NamespaceMetrics(new UnregisteredMetricsGroup(), ns.getFullName()));
    }

    private static WriteOp op(String id) {
        return new WriteOp(
                WriteOp.Kind.DELETE,
                id,
                new DeleteOneModel<>(Filters.eq("_id", id)),
                MigrationEvent.change(EventKind.DELETE, "db", "c", new BsonString(id), null, 0));
    }

    private WriteBatcher batcher(int batchSize, long maxWaitMillis) throws Exception {
        time.setCurrentTime(0);
        return new WriteBatcher(
                batchSize,
                maxWaitMillis,
                time,
                targets,
                (target, batch, oldestAddedAt) ->
                        written.add(target.fullName() + ":" + batch.size() + "@" + oldestAddedAt),
                () -> written.add("timer"));
    }

    @Test
    void writesEveryNamespaceWhenTheirWritesTogetherFillABatch() throws Exception {
        WriteBatcher batcher = batcher(3, -1);
        batcher.add(a, op("1"));
        batcher.add(b, op("1"));
        time.setCurrentTime(5);
        batcher.add(a, op("2"));
        assertThat(written).containsExactly("db.a:2@0", "db.b:1@0");
        assertThat(batcher.buffered()).isZero();
    }

    @Test
    void aSupersededWriteDoesNotCount() throws Exception {
        WriteBatcher batcher = batcher(2, -1);
        batcher.add(a, op("1"));
        batcher.add(a, op("1")); // a delete supersedes the pending write of the same _id
        assertThat(written).isEmpty();
        assertThat(batcher.buffered()).isEqualTo(1);
        batcher.add(b, op("1"));
        assertThat(written).containsExactly("db.a:1@0", "db.b:1@0");
    }

    @Test
    void theTimerFlushesWhatHasWaitedLongEnoughAndWaitsForTheRest() throws Exception {
        WriteBatcher batcher = batcher(100, 100);
        time.setCurrentTime(1_000);
        batcher.add(a, op("1"));
        time.setCurrentTime(1_050);
        batcher.add(b, op("1"));
        assertThat(time.getActiveTimerTimestamps()).containsExactly(1_100L);

        time.setCurrentTime(1_100);
        assertThat(written).containsExactly("timer", "db.a:1@1000");
        assertThat(time.getActiveTimerTimestamps()).containsExactly(1_150L);

        time.setCurrentTime(1_150);
        assertThat(written).containsExactly("timer", "db.a:1@1000", "timer", "db.b:1@1050");
        assertThat(time.getNumActiveTimers()).isZero();
    }

    @Test
    void flushAllWritesEveryNamespaceWithPendingWrites() throws Exception {
        WriteBatcher batcher = batcher(100, -1);
        batcher.add(b, op("1"));
        batcher.add(b, op("2"));
        batcher.flushAll();
        batcher.flushAll();
        assertThat(written).containsExactly("db.b:2@0");
        assertThat(time.getNumActiveTimers()).as("-1 turns the timer off").isZero();
    }

    @Test
    void closingCancelsTheTimer() throws Exception {
        WriteBatcher batcher = batcher(100, 100);
        batcher.add(a, op("1"));
        assertThat(time.getNumActiveTimers()).isEqualTo(1);
        batcher.close();
        time.setCurrentTime(1_000);
        assertThat(written).isEmpty();
        assertThat(time.getNumActiveTimers()).isZero();
    }
}
