package io.mongoresume.connectors.sink.writer;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.runtime.metrics.groups.InternalSinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;

import io.mongoresume.connectors.common.bson.BsonBytes;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.event.EventKind;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.sink.MongoMigrationSink;
import io.mongoresume.connectors.sink.SinkTestOptions;
import io.mongoresume.connectors.testutils.DelayingProxy;
import io.mongoresume.connectors.testutils.MongoTestServer;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writer's processing-time alert fires behind a deliberately slow target and clears when it
 * recovers.
 */
class ProcessingTimeAlertITCase {

    @Test
    void firesWhileTheTargetIsSlowAndClearsWhenItRecovers() throws Exception {
        try (MongoTestServer server = MongoTestServer.embedded();
                DelayingProxy proxy = new DelayingProxy(port(server.uri()))) {
            MongoMigrationWriter writer =
                    new MongoMigrationWriter(
                            SinkTestOptions.of(
                                    MongoMigrationSink.builder()
                                            .connection(
                                                    MongoConnectionOptions.of(
                                                            "mongodb://127.0.0.1:"
                                                                    + proxy.port()
                                                                    + "/?directConnection=true",
                                                            10_000))
                                            .batchMaxWaitMillis(-1)
                                            .processingTimeAlert(250, 1_500)),
                            new WallClock(),
                            InternalSinkWriterMetricGroup.wrap(
                                    UnregisteredMetricGroups
                                            .createUnregisteredOperatorMetricGroup()),
                            "slow test writer");
            try {
                int[] next = {0};
                Runnable batch =
                        () -> {
                            try {
                                for (int i = 0; i < 5; i++) {
                                    writer.write(upsert(next[0]++), null);
                                }
                                writer.flush(false);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        };
                batch.run();
                assertThat(writer.alert()).isZero();

                proxy.setReplyDelayMillis(400);
                writeUntil(batch, () -> writer.alert() == 1, Duration.ofSeconds(20));

                proxy.setReplyDelayMillis(0);
                writeUntil(batch, () -> writer.alert() == 0, Duration.ofSeconds(30));
            } finally {
                writer.close();
            }
        }
    }

    private static void writeUntil(Runnable batch, BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("alert state reached in time").isLessThan(deadline);
            batch.run();
        }
    }

    private static MigrationEvent upsert(int id) {
        BsonDocument doc =
                new BsonDocument("_id", new BsonInt32(id)).append("v", new BsonString("x" + id));
        return MigrationEvent.change(
                EventKind.INSERT, "alertdb", "c", new BsonInt32(id), BsonBytes.toBytes(doc), 0L);
    }

    private static int port(String uri) {
        String rest = uri.substring(uri.lastIndexOf(':') + 1);
        return Integer.parseInt(rest.substring(0, rest.indexOf('/')));
    }

    /** Real time, no timers (the test flushes explicitly). */
    private static final class WallClock implements ProcessingTimeService {
        @Override
        public long getCurrentProcessingTime() {
            return System.currentTimeMillis();
        }

        @Override
        public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback target) {
            return new CompletableFutureScheduled();
        }
    }

    private static final class CompletableFutureScheduled extends CompletableFuture<Object>
            implements ScheduledFuture<Object> {
        @Override
        public long getDelay(java.util.concurrent.TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(java.util.concurrent.Delayed o) {
            return 0;
        }
    }
}
