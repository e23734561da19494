package io.mongoresume.connectors.cdc.reader;

import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

import io.mongoresume.connectors.cdc.split.ChangeStreamSplit;
import io.mongoresume.connectors.cdc.split.ChangeStreamSplitState;
import io.mongoresume.connectors.event.EventKind;
import io.mongoresume.connectors.event.MigrationEvent;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonTimestamp;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeStreamRecordEmitterTest {

    private final Map<String, Metric> metrics = new HashMap<>();
    private final ChangeStreamRecordEmitter emitter =
            new ChangeStreamRecordEmitter(new ChangeStreamMetrics(new RecordingGroup("reader")));
    private final TestingReaderOutput<MigrationEvent> output = new TestingReaderOutput<>();
    private final ChangeStreamSplitState state =
            new ChangeStreamSplitState(
                    new ChangeStreamSplit("db", "c", null, new BsonTimestamp(10, 0)));

    @Test
    void emitsThenAdvancesThePosition() {
        long sourceTime = System.currentTimeMillis() - 3_000;
        MigrationEvent insert =
                MigrationEvent.change(
                        EventKind.INSERT,
                        "db",
                        "c",
                        new BsonInt32(1),
                        new byte[] {5, 0, 0, 0, 0},
                        sourceTime);
        BsonDocument token1 = BsonDocument.parse("{_data: '01'}");
        emitter.emitRecord(
                ChangeStreamRecord.event(insert, token1, new BsonTimestamp(11, 1)), output, state);

        assertThat(output.getEmittedRecords()).containsExactly(insert);
        assertThat(state.toSplit().resumeToken()).isEqualTo(token1);
        assertThat(state.toSplit().operationTime()).isEqualTo(new BsonTimestamp(11, 1));
        assertThat(counter("eventsInsert")).isEqualTo(1);
        assertThat(gauge("lastEventTime")).isEqualTo(sourceTime);
        assertThat(gauge("lagMs")).isBetween(3_000L, 60_000L);
        assertThat(metrics).containsKey("reader.collection.db.c.eventsPerSecond");
        assertThat(metrics.get("reader.collection.db.c.eventsPerSecond")).isInstanceOf(Meter.class);

        // A skipped entry: nothing emitted, the position still moves.
        BsonDocument token2 = BsonDocument.parse("{_data: '02'}");
        emitter.emitRecord(ChangeStreamRecord.positionOnly(token2, null), output, state);
        assertThat(output.getEmittedRecords()).hasSize(1);
        assertThat(state.toSplit().resumeToken()).isEqualTo(token2);
        assertThat(state.toSplit().operationTime()).isEqualTo(new BsonTimestamp(11, 1));

        // Read up to the end of the stream: no lag.
        emitter.emitRecord(ChangeStreamRecord.caughtUpMarker(), output, state);
        assertThat(gauge("lagMs")).isZero();
        assertThat(state.toSplit().resumeToken()).isEqualTo(token2);

        emitter.emitRecord(
                ChangeStreamRecord.event(
                        MigrationEvent.ddl(EventKind.DROP_COLLECTION, "db", "c", sourceTime),
                        token1,
                        null),
                output,
                state);
        emitter.emitRecord(
                ChangeStreamRecord.event(
                        MigrationEvent.change(
                                EventKind.DELETE, "db", "c", new BsonInt32(1), null, sourceTime),
                        token1,
                        null),
                output,
                state);
        assertThat(counter("eventsDdl")).isEqualTo(1);
        assertThat(counter("eventsDelete")).isEqualTo(1);
        assertThat(counter("eventsUpdate")).isZero();
    }

    private long counter(String name) {
        return ((Counter) metrics.get("reader.collection.db.c." + name)).getCount();
    }

    private long gauge(String name) {
        return (Long) ((Gauge<?>) metrics.get("reader.collection.db.c." + name)).getValue();
    }

    /** Records every metric under its dotted path. */
    private final class RecordingGroup extends UnregisteredMetricsGroup {
        private final String path;

        RecordingGroup(String path) {
            this.path = path;
        }

        @Override
        public Counter counter(String name) {
            return counter(name, new SimpleCounter());
        }

        @Override
        public <C extends Counter> C counter(String name, C counter) {
            metrics.put(path + '.' + name, counter);
            return counter;
        }

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            metrics.put(path + '.' + name, gauge);
            return gauge;
        }

        @Override
        public <M extends Meter> M meter(String name, M meter) {
            metrics.put(path + '.' + name, meter);
            return meter;
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return new RecordingGroup(path + '.' + key + '.' + value);
        }
    }
}
