package io.mongoresume.job.status;

import java.io.IOException;
import java.time.Duration;

/**
 * Asks a Flink REST API whether the running mongo-resume job's snapshot is done: for the demo's
 * progress.
 */
public final class SnapshotProbe {

    private final FlinkRest rest;

    public SnapshotProbe(String restUrl) {
        this.rest = new FlinkRest(restUrl, Duration.ofSeconds(2));
    }

    /**
     * True once the snapshot source finished while the job runs; false before, or when nobody
     * answers.
     */
    public boolean snapshotFinished() {
        try {
            String id = StatusCommand.findJob(rest);
            return id != null && MigrationStatus.read(rest, id).snapshotFinished();
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
