package io.mongoresume.benchmarks;

import org.apache.flink.api.common.JobID;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.Document;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What a job costs per collection: D databases × C collections of K small documents, selected by
 * one {@code source.namespaces} pattern, copied full+incremental. Measured at a small size (2 × C)
 * and at the full one (D × C): time from submission to the first write, time to the end of the
 * snapshot, the size of a savepoint taken after it, and the peak live heap of the JVM that runs the
 * JobManager (both enumerators) and the TaskManager. The difference between the two sizes divided
 * by the difference in collections is the cost of one more collection.
 */
final class ScaleMeasurement {

    private static final Duration TIMEOUT = Duration.ofMinutes(20);
    private static final String PREFIX = "scale_";

    private final BenchmarkMain.Settings settings;
    private final Results results;

    ScaleMeasurement(BenchmarkMain.Settings settings, Results results) {
        this.settings = settings;
        this.results = results;
        results.define("scale.collections", "scale: collections (full size)", "");
        for (String size : new String[] {"small", "full"}) {
            String what = size.equals("small") ? "2 × C" : "D × C";
            results.define(
                    "scale.first." + size, "scale " + what + ": submission → first write", "s");
            results.define(
                    "scale.snapshot." + size,
                    "scale " + what + ": submission → snapshot done",
                    "s");
            results.define(
                    "scale.savepoint." + size,
                    "scale " + what + ": savepoint after snapshot",
                    "MB");
            results.define("scale.heap." + size, "scale " + what + ": peak live heap", "MB");
        }
        results.define("scale.heap.per", "scale: live heap per added collection", "KB");
        results.define("scale.savepoint.per", "scale: savepoint bytes per added collection", "B");
    }

    void run(Path runDir) throws Exception {
        int c = settings.scaleCollections;
        Size small = measure(runDir, "small", 2, c);
        Size full = measure(runDir, "full", settings.scaleDatabases, c);
        double added = (double) (settings.scaleDatabases - 2) * c;
        results.add("scale.collections", (double) settings.scaleDatabases * c);
        if (added > 0) {
            results.add("scale.heap.per", (full.heapMb - small.heapMb) * 1024 / added);
            results.add(
                    "scale.savepoint.per",
                    (full.savepointMb - small.savepointMb) * 1024 * 1024 / added);
        }
    }

    private record Size(double heapMb, double savepointMb) {}

    private Size measure(Path runDir, String size, int databases, int collections)
            throws Exception {
        Path dir = runDir.resolve("scale-" + size);
        Files.createDirectories(dir);
        long total = (long) databases * collections * settings.scaleDocs;
        try (ServerProcess source =
                        ServerProcess.start(
                                "source-scale-" + size, settings.serverHeap, dir, settings.jfr);
                ServerProcess target =
                        ServerProcess.start(
                                "target-scale-" + size, settings.serverHeap, dir, settings.jfr);
                MongoClient targetClient = MongoClients.create(target.uri())) {
            seed(source.uri(), databases, collections, settings.scaleDocs);
            Map<String, String> raw = options(source.uri(), target.uri(), dir.resolve("state"));
            System.gc();
            try (FlinkCluster cluster = new FlinkCluster(settings.parallelism);
                    HeapWatcher heap = new HeapWatcher(2000)) {
                long start = System.nanoTime();
                JobID job = OurJob.submit(cluster, raw, null);
                await(cluster, job, () -> cluster.sum(job, "documentsWritten", null), 1);
                double first = seconds(start);
                await(cluster, job, () -> cluster.max(job, "snapshotDone"), 1);
                double snapshot = seconds(start);
                await(cluster, job, () -> targetCount(targetClient, databases), total);
                String savepoint = cluster.stopWithSavepoint(job, dir.resolve("savepoint"));
                double savepointMb =
                        Files.walk(Path.of(java.net.URI.create(savepoint)))
                                        .filter(Files::isRegularFile)
                                        .mapToLong(f -> f.toFile().length())
                                        .sum()
                                / (1024.0 * 1024.0);
                results.add("scale.first." + size, first);
                results.add("scale.snapshot." + size, snapshot);
                results.add("scale.savepoint." + size, savepointMb);
                results.add("scale.heap." + size, heap.peakMb());
                log(
                        "scale %d × %d collections × %d docs: first write %.1f s, snapshot done"
                                + " %.1f s, savepoint %.2f MB, peak live heap %.0f MB",
                        databases,
                        collections,
                        settings.scaleDocs,
                        first,
                        snapshot,
                        savepointMb,
                        heap.peakMb());
                return new Size(heap.peakMb(), savepointMb);
            }
        }
    }

    private Map<String, String> options(String sourceUri, String targetUri, Path stateDir) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("source.uri", sourceUri);
        raw.put("source.namespaces", PREFIX + "*.*");
        raw.put("sync.type", "full+incremental");
        raw.put("target.uri", targetUri);
        raw.put("checkpoint.dir", stateDir.resolve("checkpoints").toUri().toString());
        raw.put("savepoint.dir", stateDir.resolve("savepoints").toUri().toString());
        raw.put("snapshot.readers", String.valueOf(settings.parallelism));
        raw.put("target.writers", String.valueOf(settings.parallelism));
        raw.putAll(OurJob.overrides);
        return raw;
    }

    /** Database {@code scale_dNN}, collections {@code cNN}, small documents with _id 0..K-1. */
    private static void seed(String uri, int databases, int collections, int docs) {
        try (MongoClient client = MongoClients.create(uri)) {
            for (int d = 0; d < databases; d++) {
                for (int c = 0; c < collections; c++) {
                    List<Document> batch = new ArrayList<>(docs);
                    for (int i = 0; i < docs; i++) {
                        batch.add(new Document("_id", i).append("d", d).append("c", c));
                    }
                    client.getDatabase(database(d))
                            .getCollection(String.format(Locale.ROOT, "c%02d", c))
                            .insertMany(batch);
                }
            }
        }
    }

    private static String database(int d) {
        return String.format(Locale.ROOT, PREFIX + "d%02d", d);
    }

    private static long targetCount(MongoClient client, int databases) {
        long count = 0;
        for (int d = 0; d < databases; d++) {
            for (String name : client.getDatabase(database(d)).listCollectionNames()) {
                if (name.matches("c[0-9]+")) {
                    count +=
                            client.getDatabase(database(d))
                                    .getCollection(name)
                                    .estimatedDocumentCount();
                }
            }
        }
        return count;
    }

    private static void await(FlinkCluster cluster, JobID job, LongSupplier value, long atLeast)
            throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (value.getAsLong() < atLeast) {
            if (cluster.status(job).isGloballyTerminalState()) {
                cluster.awaitFinished(job, Duration.ZERO);
                throw new IllegalStateException("job " + job + " ended before reaching " + atLeast);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("never reached " + atLeast + " in " + TIMEOUT);
            }
            Thread.sleep(20);
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.out.printf(
                "%tT  %s%n", System.currentTimeMillis(), String.format(Locale.ROOT, format, args));
    }
}
