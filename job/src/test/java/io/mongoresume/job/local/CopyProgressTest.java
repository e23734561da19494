package io.mongoresume.job.local;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class CopyProgressTest {

    private static final long T0 = 1_800_000_000_000L;

    @Test
    void rateOverTheWindowAndTimeLeftFromTheEstimate() {
        CopyProgress progress = new CopyProgress(T0, ".");
        assertThat(progress.next(T0 + 5_000, 60_000, 0, false))
                .isEqualTo("  copy: 0 of ~60,000 documents (0.0%)");
        assertThat(progress.next(T0 + 10_000, 60_000, 10_000, false))
                .isEqualTo(
                        "  copy: 10,000 of ~60,000 documents (16.7%), 2,000 docs/s, about 25 s left");
        assertThat(progress.next(T0 + 15_000, 60_000, 20_000, false))
                .isEqualTo(
                        "  copy: 20,000 of ~60,000 documents (33.3%), 2,000 docs/s, about 20 s left");
    }

    @Test
    void theRateFollowsTheLastThirtySeconds() {
        CopyProgress progress = new CopyProgress(T0, ".");
        progress.next(T0, 1_000_000, 0, false);
        progress.next(T0 + 30_000, 1_000_000, 3_000, false); // 100 docs/s while the readers warm up
        progress.next(T0 + 50_000, 1_000_000, 203_000, false);
        progress.next(T0 + 60_000, 1_000_000, 303_000, false);
        assertThat(progress.next(T0 + 65_000, 1_000_000, 353_000, false))
                .isEqualTo(
                        "  copy: 353,000 of ~1,000,000 documents (35.3%), 10,000 docs/s, about 1 min 5 s left");
    }

    @Test
    void aStalledCopyHasARateButNoTimeLeft() {
        CopyProgress progress = new CopyProgress(T0, ".");
        progress.next(T0, 100, 40, false);
        assertThat(progress.next(T0 + 5_000, 100, 40, false))
                .isEqualTo("  copy: 40 of ~100 documents (40.0%), 0 docs/s");
    }

    @Test
    void doneIsSaidOnceAndThenNothing() {
        CopyProgress progress =
                new CopyProgress(T0, "; the change streams keep the target in step until Ctrl-C.");
        progress.next(T0 + 5_000, 60_000, 59_000, false);
        assertThat(progress.next(T0 + 95_000, 60_123, 60_101, true))
                .isEqualTo(
                        "  copy done: 60,101 documents in the target (source ~60,123) after 1 min 35 s; the"
                                + " change streams keep the target in step until Ctrl-C.");
        assertThat(progress.doneSaid()).isTrue();
        assertThat(progress.next(T0 + 100_000, 60_130, 60_120, true)).isNull();
        assertThat(progress.next(T0 + 105_000, 60_140, 60_100, false)).isNull();
    }

    @Test
    void durationsReadAsAPersonWouldSayThem() {
        assertThat(CopyProgress.format(Duration.ofSeconds(45))).isEqualTo("45 s");
        assertThat(CopyProgress.format(Duration.ofSeconds(120))).isEqualTo("2 min");
        assertThat(CopyProgress.format(Duration.ofSeconds(3_780))).isEqualTo("1 h 3 min");
    }
}
