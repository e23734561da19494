package io.mongoresume.job.faults;

import java.time.Duration;

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
}
