package io.mongoresume.connectors.testutils;

/**
 * Sleeping in test code that may not throw {@link InterruptedException} (lambdas, job functions).
 */
public final class Pause {

    private Pause() {}

    /** Sleeps; an interrupt ends the pause early and stays set on the thread. */
    public static void millis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
