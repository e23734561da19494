package io.mongoresume.job.faults;

import java.time.Duration;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * One kind of fault of the matrix: it begins (a TaskManager dies, the target stops or freezes),
 * lasts for {@link #hold()} (how long before {@link #end()}), and ends (a new TaskManager, the
 * target back).
 */
record Fault(String description, Action onBegin, Duration hold, Action onEnd) {

    /** A step of a fault. */
    interface Action {
        void run() throws Exception;
    }

    Fault {
        checkNotNull(description);
        checkNotNull(onBegin);
        checkNotNull(hold);
        checkNotNull(onEnd);
    }

    /** A fault described by {@code description} in the log. */
    static Fault of(String description, Action begin, Duration hold, Action end) {
        return new Fault(description, begin, hold, end);
    }

    /** Starts the fault; returns once it holds. */
    void begin() throws Exception {
        onBegin.run();
    }

    /**
     * Ends the fault: what was lost is back (a new TaskManager, the target started again or
     * thawed).
     */
    void end() throws Exception {
        onEnd.run();
    }

    @Override
    public String toString() {
        return description;
    }
}
