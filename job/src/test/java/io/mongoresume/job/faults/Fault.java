package io.mongoresume.job.faults;

import java.time.Duration;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * One kind of fault of the matrix: it begins (a TaskManager dies, the target stops or freezes), lasts for
 * {@link #hold()}, and ends (a new TaskManager, the target back).
 */
interface Fault {

    /** Starts the fault; returns once it holds. */
    void begin() throws Exception;

    /** How long the fault lasts before {@link #end()}. */
    Duration hold();

    /** Ends the fault: what was lost is back (a new TaskManager, the target started again or thawed). */
    void end() throws Exception;

    /** A step of a fault. */
    interface Action {
        void run() throws Exception;
    }

    /** A fault described by {@code description} in the log. */
    static Fault of(String description, Action begin, Duration hold, Action end) {
        checkNotNull(description);
        checkNotNull(begin);
        checkNotNull(hold);
        checkNotNull(end);
        return new Fault() {
            @Override
            public void begin() throws Exception {
                begin.run();
            }

            @Override
            public Duration hold() {
                return hold;
            }

            @Override
            public void end() throws Exception {
                end.run();
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }
}
