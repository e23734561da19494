package io.mongoresume.benchmarks;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.FullDocument;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Write-at-source → visible-at-target latency, with probe documents written next to the load: every
 * {@code intervalMillis} one insert of {@code {_id: "probe-<i>"}} into the source collection,
 * whatever the earlier probes are doing. A poller looks the oldest outstanding probe up at the
 * target by {@code _id} (an index lookup) every 5 ms. All clocks are this JVM's {@link
 * System#nanoTime()}.
 *
 * <p>The floor is measured in a separate phase, without the job: a change stream on the same source
 * collection, with our reader's settings (updateLookup, at most 100 ms server wait, 20 ms pause
 * when idle), sees the probes. It is what any change-stream-based copy pays before it can do
 * anything on this server.
 */
final class CdcProbe {

    private static final String PREFIX = "probe-";

    /**
     * Pause between empty polls of the source change stream: our reader's (20 ms). On this server
     * every getMore scans the whole oplog, so a busier watcher would itself slow the source down.
     */
    private static final long IDLE_PAUSE_MILLIS = 20;

    /** Pause between lookups of a probe at the target: the precision of the latency figures. */
    private static final long TARGET_POLL_MILLIS = 5;

    private static final long PROBE_TIMEOUT_SECONDS = 120;

    /** How long the observer may still look for probes once the writing has stopped. */
    private static final long GRACE_SECONDS = 15;

    private final List<Double> latenciesMs = Collections.synchronizedList(new ArrayList<>());
    private final List<String> ids = new CopyOnWriteArrayList<>();
    private final Map<String, Long> written = new ConcurrentHashMap<>();
    private final String runTag;
    private volatile boolean stop;
    private volatile boolean writing = true;

    CdcProbe(String runTag) {
        this.runTag = runTag;
    }

    /**
     * Writes probes for {@code seconds}; with a target, measures until each probe is there;
     * without, watches the source's change stream instead (the floor).
     */
    void run(
            String sourceUri,
            @Nullable String targetUri,
            String targetDb,
            int seconds,
            long intervalMillis,
            Runnable stopLoad)
            throws Exception {
        try (MongoClient source = MongoClients.create(sourceUri);
                MongoClient target = targetUri == null ? null : MongoClients.create(targetUri)) {
            MongoCollection<Document> from =
                    source.getDatabase(DataSet.DATABASE).getCollection(DataSet.COLLECTION);
            MongoChangeStreamCursor<ChangeStreamDocument<Document>> cursor = null;
            Thread observer;
            if (target == null) {
                cursor =
                        from.watch()
                                .fullDocument(FullDocument.UPDATE_LOOKUP)
                                .maxAwaitTime(100, TimeUnit.MILLISECONDS)
                                .cursor();
                MongoChangeStreamCursor<ChangeStreamDocument<Document>> c = cursor;
                observer = new Thread(() -> watch(c), "source-change-stream-probe");
            } else {
                MongoCollection<Document> to =
                        target.getDatabase(targetDb).getCollection(DataSet.COLLECTION);
                observer = new Thread(() -> poll(to), "target-probe-poller");
            }
            observer.setDaemon(true);
            observer.start();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long next = System.nanoTime();
            int i = 0;
            while (System.nanoTime() < end) {
                String id = PREFIX + runTag + "-" + i++;
                written.put(id, System.nanoTime());
                ids.add(id);
                from.insertOne(new Document("_id", id).append("probe", i));
                next += TimeUnit.MILLISECONDS.toNanos(intervalMillis);
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            writing = false;
            stopLoad.run();
            // Probes not seen within the grace period count as missing (reported next to the
            // percentiles).
            observer.join(TimeUnit.SECONDS.toMillis(GRACE_SECONDS));
            stop = true;
            if (cursor != null) {
                cursor.close();
            }
            observer.join(5000);
        }
    }

    /** Looks the oldest outstanding probe up until it is there, then the next. */
    private void poll(MongoCollection<Document> to) {
        int next = 0;
        try {
            while (!stop) {
                if (next >= ids.size()) {
                    if (!writing) {
                        return;
                    }
                    Thread.sleep(TARGET_POLL_MILLIS);
                    continue;
                }
                String id = ids.get(next);
                long t0 = written.get(id);
                long now = System.nanoTime();
                if (to.find(Filters.eq("_id", id)).first() != null) {
                    latenciesMs.add((now - t0) / 1e6);
                    next++;
                } else if (now - t0 > TimeUnit.SECONDS.toNanos(PROBE_TIMEOUT_SECONDS)) {
                    latenciesMs.add(
                            PROBE_TIMEOUT_SECONDS * 1000.0); // counted as the timeout: "at least"
                    next++;
                } else {
                    Thread.sleep(TARGET_POLL_MILLIS);
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

    private void watch(MongoChangeStreamCursor<ChangeStreamDocument<Document>> cursor) {
        try {
            int seen = 0;
            while (!stop && (writing || seen < ids.size())) {
                ChangeStreamDocument<Document> event = cursor.tryNext();
                if (event == null) {
                    Thread.sleep(IDLE_PAUSE_MILLIS);
                    continue;
                }
                long now = System.nanoTime();
                String id = probeId(event);
                Long t0 = id == null ? null : written.get(id);
                if (t0 != null) {
                    latenciesMs.add((now - t0) / 1e6);
                    seen++;
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
        if ((id == null || !id.isString()) && event.getFullDocument() != null) {
            Object full = event.getFullDocument().get("_id");
            return full instanceof String && ((String) full).startsWith(PREFIX)
                    ? (String) full
                    : null;
        }
        return id != null && id.isString() && id.asString().getValue().startsWith(PREFIX)
                ? id.asString().getValue()
                : null;
    }

    List<Double> latenciesMs() {
        return new ArrayList<>(latenciesMs);
    }

    int written() {
        return ids.size();
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
