package io.mongoresume.benchmarks;

import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Measures write-at-source → visible-at-target latency with probe documents written next to the load: every
 * {@code intervalMillis} one insert of {@code {_id: "probe-<i>"}} into the source collection; the target is
 * polled by {@code _id} (an index lookup) until the probe is there. All clocks are this JVM's
 * {@link System#nanoTime()}. The floor: a change stream on the source collection, opened in this JVM, sees
 * the same probe; its delay is what any change-stream-based copy pays before it can do anything.
 */
final class CdcProbe {

    private static final String PREFIX = "probe-";
    /**
     * Pause between empty polls of the source change stream: our reader's (20 ms). On this server every getMore
     * scans the whole oplog, so a busier floor watcher would itself slow the source down.
     */
    private static final long IDLE_PAUSE_MILLIS = 20;
    /** Pause between lookups of a probe at the target (an _id lookup): the precision of the latency figures. */
    private static final long TARGET_POLL_MILLIS = 5;
    private static final long PROBE_TIMEOUT_SECONDS = 120;

    private final List<Double> targetLatenciesMs = Collections.synchronizedList(new ArrayList<>());
    private final List<Double> sourceStreamLatenciesMs = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Long> written = new ConcurrentHashMap<>();
    private volatile boolean stop;

    /** Writes probes for {@code seconds} while the load runs; returns when done. */
    void run(String sourceUri, String targetUri, String targetDb, int seconds, long intervalMillis)
            throws Exception {
        try (MongoClient source = MongoClients.create(sourceUri);
                MongoClient target = MongoClients.create(targetUri)) {
            MongoCollection<Document> from = source.getDatabase(DataSet.DATABASE).getCollection(DataSet.COLLECTION);
            MongoCollection<Document> to = target.getDatabase(targetDb).getCollection(DataSet.COLLECTION);
            // Our change-stream reader's settings: a server wait of at most 100 ms (mongo-java-server answers an
            // idle getMore at once anyway), then a short pause, as every getMore makes this server scan its oplog.
            ChangeStreamIterable<Document> stream = from.watch().maxAwaitTime(100, TimeUnit.MILLISECONDS);
            MongoChangeStreamCursor<ChangeStreamDocument<Document>> cursor = stream.cursor();
            Thread watcher = new Thread(() -> watch(cursor), "source-change-stream-probe");
            watcher.setDaemon(true);
            watcher.start();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long next = System.nanoTime();
            int i = 0;
            while (System.nanoTime() < end) {
                String id = PREFIX + i++;
                long t0 = System.nanoTime();
                written.put(id, t0);
                from.insertOne(new Document("_id", id).append("probe", i));
                long deadline = t0 + TimeUnit.SECONDS.toNanos(PROBE_TIMEOUT_SECONDS);
                while (to.find(Filters.eq("_id", id)).first() == null && System.nanoTime() < deadline) {
                    Thread.sleep(TARGET_POLL_MILLIS);
                }
                // A probe still missing after the timeout counts as the timeout (the figures say "at least").
                targetLatenciesMs.add((Math.min(System.nanoTime(), deadline) - t0) / 1e6);
                next += TimeUnit.MILLISECONDS.toNanos(intervalMillis);
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            Thread.sleep(500);
            stop = true;
            cursor.close();
            watcher.join(5000);
        }
    }

    private void watch(MongoChangeStreamCursor<ChangeStreamDocument<Document>> cursor) {
        try {
            while (!stop) {
                ChangeStreamDocument<Document> event = cursor.tryNext();
                if (event == null) {
                    Thread.sleep(IDLE_PAUSE_MILLIS);
                    continue;
                }
                long now = System.nanoTime();
                String id = probeId(event);
                if (id != null) {
                    Long t0 = written.get(id);
                    if (t0 != null) {
                        sourceStreamLatenciesMs.add((now - t0) / 1e6);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!stop) {
                throw e;
            }
        }
    }

    private static String probeId(ChangeStreamDocument<Document> event) {
        BsonDocument key = event.getDocumentKey();
        BsonValue id = key == null ? null : key.get("_id");
        if (id == null && event.getFullDocument() != null) {
            Object full = event.getFullDocument().get("_id");
            return full instanceof String && ((String) full).startsWith(PREFIX) ? (String) full : null;
        }
        return id != null && id.isString() && id.asString().getValue().startsWith(PREFIX)
                ? id.asString().getValue()
                : null;
    }

    List<Double> targetLatenciesMs() {
        return new ArrayList<>(targetLatenciesMs);
    }

    List<Double> sourceStreamLatenciesMs() {
        return new ArrayList<>(sourceStreamLatenciesMs);
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
