package io.mongoresume.job.precheck;

import java.util.Locale;

/** The two deployments a migration joins; a check names the ones it talks to. */
enum Side {
    SOURCE,
    TARGET;

    /** How check names and messages call it: {@code source}, {@code target}. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
