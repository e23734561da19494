package io.mongoresume.job.local;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.job.status.SnapshotProbe;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints the copy's progress every few seconds while the demo runs: target against source document
 * counts, the rate and the time left ({@link CopyProgress}); "done" once the job's snapshot source
 * finished, as the local job's REST API says.
 */
public final class DemoProgress implements AutoCloseable {

    private static final long PERIOD_SECONDS = 5;

    private final MongoClient source;
    private final MongoClient target;
    private final String database;
    private final SnapshotProbe snapshot;
    private final CopyProgress progress;
    private final ScheduledExecutorService timer;

    private DemoProgress(
            MongoClient source,
            MongoClient target,
            String database,
            SnapshotProbe snapshot,
            String afterDone) {
        this.source = source;
        this.target = target;
        this.database = database;
        this.snapshot = snapshot;
        this.progress = new CopyProgress(System.currentTimeMillis(), afterDone);
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "demo-progress");
                            t.setDaemon(true);
                            return t;
                        });
    }

    /**
     * @param restUrl the local job's REST API (the web UI)
     * @param afterDone what the done line adds, e.g. what happens next
     */
    public static DemoProgress start(
            String sourceUri, String targetUri, String database, String restUrl, String afterDone) {
        DemoProgress progress =
                new DemoProgress(
                        MongoConnectionOptions.of(sourceUri, 5000).createClient(),
                        MongoConnectionOptions.of(targetUri, 5000).createClient(),
                        database,
                        new SnapshotProbe(restUrl),
                        afterDone);
        progress.timer.scheduleAtFixedRate(
                progress::print, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
        return progress;
    }

    private void print() {
        if (progress.doneSaid()) {
            return;
        }
        try {
            boolean done = snapshot.snapshotFinished();
            String line =
                    progress.next(
                            System.currentTimeMillis(),
                            count(source.getDatabase(database)),
                            count(target.getDatabase(database)),
                            done);
            if (line != null) {
                System.out.println(line);
            }
        } catch (RuntimeException e) {
            // A count that fails while servers stop is not worth a stack trace.
        }
    }

    private static long count(MongoDatabase db) {
        long total = 0;
        for (String name : db.listCollectionNames()) {
            total += db.getCollection(name).estimatedDocumentCount();
        }
        return total;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        source.close();
        target.close();
    }
}
