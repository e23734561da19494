package io.mongoresume.job.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CopyProgressTest {

    private static final long T0 = 1_800_000_000_000L;

    /** What the copy reports {@code afterMillis} past T0. */
    private record Sample(long afterMillis, long estimate, long copied) {}

    private static Sample at(long afterMillis, long estimate, long copied) {
        return new Sample(afterMillis, estimate, copied);
    }

    /** The line of each sample, fed in turn to one progress of a copy that is not done. */
    private static List<String> lines(List<Sample> samples) {
        CopyProgress progress = new CopyProgress(T0, ".");
        List<String> lines = new ArrayList<>();
        for (Sample s : samples) {
            lines.add(progress.next(T0 + s.afterMillis(), s.estimate(), s.copied(), false));
        }
        return lines;
    }

    @Test
    void rateOverTheWindowAndTimeLeftFromTheEstimate() {
        assertThat(
                        lines(
                                List.of(
                                        at(5_000, 60_000, 0),
                                        at(10_000, 60_000, 10_000),
                                        at(15_000, 60_000, 20_000))))
                .containsExactly(
                        "  copy: 0 of ~60,000 documents (0.0%)",
                        "  copy: 10,000 of ~60,000 documents (16.7%), 2,000 docs/s, about 25 s left",
                        "  copy: 20,000 of ~60,000 documents (33.3%), 2,000 docs/s, about 20 s left");
    }

    /** A copy's samples, and the line its last one gives. */
    static Stream<Arguments> histories() {
        return Stream.of(
                Arguments.of(
                        "the rate follows the last thirty seconds",
                        List.of(
                                at(0, 1_000_000, 0),
                                // 100 docs/s while the readers warm up
                                at(30_000, 1_000_000, 3_000),
                                at(50_000, 1_000_000, 203_000),
                                at(60_000, 1_000_000, 303_000),
                                at(65_000, 1_000_000, 353_000)),
                        "  copy: 353,000 of ~1,000,000 documents (35.3%), 10,000 docs/s, about 1 min 5 s left"),
                Arguments.of(
                        "a stalled copy has a rate but no time left",
                        List.of(at(0, 100, 40), at(5_000, 100, 40)),
                        "  copy: 40 of ~100 documents (40.0%), 0 docs/s"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void theLineFollowsTheHistory(String history, List<Sample> samples, String line) {
        assertThat(lines(samples)).last().isEqualTo(line);
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
