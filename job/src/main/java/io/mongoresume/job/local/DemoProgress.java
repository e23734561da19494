package io.mongoresume.job.local;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;

/** Prints source and target document counts every few seconds while the demo runs. */
public final class DemoProgress implements AutoCloseable {

    private static final long PERIOD_SECONDS = 5;

    private final MongoClient source;
    private final MongoClient target;
    private final String database;
    private final ScheduledExecutorService timer;

    private DemoProgress(MongoClient source, MongoClient target, String database) {
        this.source = source;
        this.target = target;
        this.database = database;
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "demo-progress");
                            t.setDaemon(true);
                            return t;
                        });
    }

    public static DemoProgress start(String sourceUri, String targetUri, String database) {
        DemoProgress progress =
                new DemoProgress(
                        MongoConnectionOptions.of(sourceUri, 5000).createClient(),
                        MongoConnectionOptions.of(targetUri, 5000).createClient(),
                        database);
        progress.timer.scheduleAtFixedRate(
                progress::print, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
        return progress;
    }

    private void print() {
        try {
            long s = count(source.getDatabase(database));
            long t = count(target.getDatabase(database));
            System.out.printf(
                    "  progress: source %,d documents, target %,d (%.1f%%)%n", s, t, s == 0 ? 100.0 : 100.0 * t / s);
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
