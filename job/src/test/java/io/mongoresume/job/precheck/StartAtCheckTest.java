package io.mongoresume.job.precheck;

import org.bson.BsonTimestamp;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class StartAtCheckTest {

    private static final Instant START_AT = Instant.parse("2026-11-26T08:00:00Z");

    @Test
    void anOplogThatBeginsAfterTheStartHasLostItsHistory() {
        BsonTimestamp later = new BsonTimestamp((int) START_AT.getEpochSecond() + 3600, 7);
        assertThat(StartAtCheck.lostHistory(START_AT, later))
                .contains("'2026-11-26T08:00:00Z' for option 'cdc.start-at'")
                .contains("begins at 2026-11-26T09:00:00Z (1795683600, 7)")
                .contains("Give a cdc.start-at at or after 2026-11-26T09:00:00Z")
                .contains("sync.type=full+incremental")
                .contains("replSetResizeOplog");
    }

    @Test
    void anOplogThatBeginsInTheSameSecondOrEarlierOrIsEmptyIsFine() {
        // cdc.start-at has 1 s resolution: an entry later in the same second is still covered.
        assertThat(
                        StartAtCheck.lostHistory(
                                START_AT, new BsonTimestamp((int) START_AT.getEpochSecond(), 9)))
                .isNull();
        assertThat(
                        StartAtCheck.lostHistory(
                                START_AT,
                                new BsonTimestamp((int) START_AT.getEpochSecond() - 1, 1)))
                .isNull();
        assertThat(StartAtCheck.lostHistory(START_AT, null)).isNull();
    }
}
