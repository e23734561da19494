package io.mongoresume.connectors.sink.writer;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.metrics.MetricGroup;

import io.mongoresume.connectors.common.metrics.ProcessingTimeAlert;
import io.mongoresume.connectors.sink.config.MongoWriteOptions;

/**
 * A writer's "falls behind" alert and its gauges ({@value ProcessingTimeAlert#ALERT_GAUGE}, {@value
 * ProcessingTimeAlert#AVERAGE_GAUGE}). A batch's processing time is its oldest write's wait in the
 * buffer plus the bulk request.
 */
final class WriterAlert {

    private final ProcessingTimeService timeService;
    private final ProcessingTimeAlert alert;

    WriterAlert(
            String name,
            MongoWriteOptions options,
            ProcessingTimeService timeService,
            MetricGroup metricGroup) {
        this.timeService = timeService;
        this.alert =
                new ProcessingTimeAlert(
                        name,
                        options.alertThresholdMillis(),
                        options.alertSustainMillis(),
                        timeService::getCurrentProcessingTime);
        metricGroup.gauge(ProcessingTimeAlert.ALERT_GAUGE, alert::alert);
        metricGroup.gauge(ProcessingTimeAlert.AVERAGE_GAUGE, alert::averageMillis);
    }

    /** Re-evaluates without a batch, so an idle writer's alert clears. */
    void evaluate() {
        alert.evaluate();
    }

    void batchWritten(long oldestAddedAt) {
        alert.record(Math.max(0, timeService.getCurrentProcessingTime() - oldestAddedAt));
    }

    int alert() {
        return alert.alert();
    }
}
