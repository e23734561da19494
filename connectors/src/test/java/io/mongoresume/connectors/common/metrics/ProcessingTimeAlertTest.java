package io.mongoresume.connectors.common.metrics;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessingTimeAlertTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final ProcessingTimeAlert alert =
            new ProcessingTimeAlert("test node", 5_000, 60_000, now::get);

    @Test
    void firesOnlyAfterTheAverageStaysAboveTheThresholdForTheWholePeriod() {
        for (int second = 0; second < 60; second++) {
            alert.record(6_000);
            now.addAndGet(1_000);
        }
        assertThat(alert.alert()).as("59 s above the threshold").isZero();
        alert.record(6_000);
        assertThat(alert.alert()).as("60 s above the threshold").isEqualTo(1);
        assertThat(alert.averageMillis()).isEqualTo(6_000);
    }

    @Test
    void aDipBelowTheThresholdRestartsThePeriod() {
        for (int second = 0; second < 50; second++) {
            alert.record(6_000);
            now.addAndGet(1_000);
        }
        now.addAndGet(ProcessingTimeAlert.AVERAGE_WINDOW_MILLIS + 1);
        alert.record(100);
        for (int second = 0; second < 50; second++) {
            alert.record(9_000);
            now.addAndGet(1_000);
        }
        assertThat(alert.alert()).isZero();
    }

    @Test
    void clearsWhenTheNodeRecoversOrGoesIdle() {
        for (int second = 0; second <= 60; second++) {
            alert.record(7_000);
            now.addAndGet(1_000);
        }
        assertThat(alert.alert()).isEqualTo(1);
        now.addAndGet(ProcessingTimeAlert.AVERAGE_WINDOW_MILLIS + 1);
        alert.evaluate();
        assertThat(alert.alert()).as("idle: no samples in the window").isZero();

        for (int second = 0; second <= 60; second++) {
            alert.record(7_000);
            now.addAndGet(1_000);
        }
        assertThat(alert.alert()).isEqualTo(1);
        for (int i = 0; i < 200; i++) {
            alert.record(10);
            now.addAndGet(100);
        }
        assertThat(alert.alert()).as("fast again").isZero();
    }
}
