package io.mongoresume.job.testutils;

import org.apache.flink.api.common.JobID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The snapshot source's counters of a run stopped with a savepoint and of the run resumed from it,
 * and the breakpoint promise stated on them: nothing emitted twice, nothing finished read again,
 * and no more read twice than the splits in progress at the stop could hold.
 */
public record ResumeFigures(
        long emittedBefore, long readBefore, long emittedAfter, long readAfter, long refetched) {

    /** The stopped run's figures. */
    public static ResumeFigures before(MigrationCluster cluster, JobID stopped) {
        return new ResumeFigures(
                cluster.sum(stopped, "documentsEmitted"),
                cluster.sum(stopped, "documentsRead"),
                0,
                0,
                0);
    }

    /** With the resumed run's figures. */
    public ResumeFigures after(MigrationCluster cluster, JobID resumed) {
        return new ResumeFigures(
                emittedBefore,
                readBefore,
                cluster.sum(resumed, "documentsEmitted"),
                cluster.sum(resumed, "documentsRead"),
                cluster.sum(resumed, "documentsRefetched"));
    }

    /**
     * @param documents the documents of the source
     * @param inProgressBound the most documents the splits in progress at the stop can hold
     */
    public void assertExact(long documents, long inProgressBound) {
        assertThat(emittedBefore + emittedAfter)
                .as("no document emitted before the savepoint is emitted again")
                .isEqualTo(documents);
        assertThat(refetched)
                .as("re-fetched: read before the savepoint but not emitted")
                .isLessThanOrEqualTo(inProgressBound);
        assertThat(readAfter)
                .as(
                        "finished splits and emitted documents are not read again: the resumed run reads"
                                + " exactly what was not emitted before (re-fetched documents among them)")
                .isEqualTo(documents - emittedBefore);
        assertThat(readBefore + readAfter - documents)
                .as(
                        "reads wasted by the stop: fetched before the savepoint, not emitted, fetched again")
                .isGreaterThanOrEqualTo(refetched)
                .isLessThanOrEqualTo(inProgressBound);
    }
}
