package io.mongoresume.job.local;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Locale;

/**
 * The demo's progress lines: documents in the target against the source's estimated count, the rate
 * over a sliding window and the time left at that rate. Once the snapshot is done it says so, once,
 * and then has nothing more to say (the change streams keep the counts moving, which is no
 * progress).
 */
final class CopyProgress {

    /** Long enough to smooth a bursty sink, short enough to follow a change of pace. */
    static final Duration WINDOW = Duration.ofSeconds(30);

    private final Deque<Sample> window = new ArrayDeque<>();
    private final long startMillis;
    private final String afterDone;
    private boolean doneSaid;

    /**
     * @param startMillis when the copy started
     * @param afterDone what the done line adds, e.g. what happens next
     */
    CopyProgress(long startMillis, String afterDone) {
        this.startMillis = startMillis;
        this.afterDone = afterDone;
    }

    /** Whether the done line was given: nothing follows it. */
    boolean doneSaid() {
        return doneSaid;
    }

    private record Sample(long atMillis, long targetDocuments) {}

    /**
     * The line for a new sample, or null when there is nothing (new) to say.
     *
     * @param sourceDocuments the source's estimated document count
     * @param snapshotDone whether the job's snapshot source finished
     */
    @Nullable
    String next(long atMillis, long sourceDocuments, long targetDocuments, boolean snapshotDone) {
        if (doneSaid) {
            return null;
        }
        if (snapshotDone) {
            doneSaid = true;
            return String.format(
                    Locale.ROOT,
                    "  copy done: %,d documents in the target (source ~%,d) after %s%s",
                    targetDocuments,
                    sourceDocuments,
                    format(Duration.ofMillis(atMillis - startMillis)),
                    afterDone);
        }
        window.addLast(new Sample(atMillis, targetDocuments));
        // Keep one sample at or beyond the window's start, so the rate always spans the whole
        // window.
        while (window.size() > 2 && secondOldest().atMillis() <= atMillis - WINDOW.toMillis()) {
            window.removeFirst();
        }
        double percent =
                sourceDocuments > 0
                        ? Math.min(100.0, 100.0 * targetDocuments / sourceDocuments)
                        : 100.0;
        StringBuilder line =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "  copy: %,d of ~%,d documents (%.1f%%)",
                                targetDocuments,
                                sourceDocuments,
                                percent));
        Sample oldest = window.peekFirst();
        long elapsed = atMillis - oldest.atMillis();
        if (elapsed > 0) {
            double rate =
                    Math.max(0, targetDocuments - oldest.targetDocuments()) * 1000.0 / elapsed;
            line.append(String.format(Locale.ROOT, ", %,.0f docs/s", rate));
            long left = sourceDocuments - targetDocuments;
            if (rate >= 1 && left > 0) {
                long seconds = Math.max(1, Math.round(left / rate));
                line.append(", about ").append(format(Duration.ofSeconds(seconds))).append(" left");
            }
        }
        return line.toString();
    }

    private Sample secondOldest() {
        Iterator<Sample> oldestFirst = window.iterator();
        oldestFirst.next();
        return oldestFirst.next();
    }

    /** 45 s, 2 min 5 s, 1 h 3 min. */
    static String format(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        return s / 3600 + " h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + " min");
    }
}
