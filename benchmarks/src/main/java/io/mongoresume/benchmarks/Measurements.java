package io.mongoresume.benchmarks;

import org.apache.flink.api.common.JobID;
import org.apache.flink.connector.mongodb.source.enumerator.splitter.PartitionStrategy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.mongoresume.connectors.snapshot.MongoSnapshotSourceBuilder;
import io.mongoresume.job.demo.WorkloadGenerator;
import io.mongoresume.job.demo.WorkloadStats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The measurements of one run, on a freshly seeded source and a fresh target server per
 * measurement.
 */
final class Measurements {

    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(20);
    private static final String TARGET_DB = "bench_copy";

    /** Ids the memory measurement's workload picks its targets from, at every N. */
    private static final int MEMORY_ID_SAMPLE = 20_000;

    private final BenchmarkMain.Settings settings;
    private final Results results;
    private final long n;
    private final int p;
    private ServerProcess currentSource;
    final List<String> cpuLines = new ArrayList<>();
    private final ScaleMeasurement scale;

    Measurements(BenchmarkMain.Settings settings, Results results) {
        this.settings = settings;
        this.results = results;
        this.n = settings.docs;
        this.p = settings.parallelism;
        OurJob.overrides.putAll(settings.jobOptions);
        defineRows();
        scale = new ScaleMeasurement(settings, results);
    }

    private void defineRows() {
        if (settings.only.contains("copy")) {
            results.define(
                    "copy.1",
                    "1. raw copy, driver loop, 1 thread (find → insertMany 1000)",
                    "docs/s");
            results.define(
                    "copy.p",
                    "1. raw copy, driver loop, " + p + " threads (even _id ranges)",
                    "docs/s");
            results.define(
                    "copy.up",
                    "1. raw copy, "
                            + p
                            + " threads, our write (bulk replaceOne upsert): diagnostic",
                    "docs/s");
        }
        if (settings.only.contains("stock")) {
            results.define(
                    "stock",
                    "2. stock MongoSource → MongoSink ("
                            + settings.stockStrategy
                            + ", parallelism "
                            + p
                            + ")",
                    "docs/s");
        }
        if (settings.only.contains("job")) {
            for (String s : new String[] {"count", "min-max"}) {
                results.define(
                        "job." + s,
                        "3. ours, full sync, " + s + " (" + p + " readers, " + p + " writers)",
                        "docs/s");
                results.define(
                        "job." + s + ".raw",
                        "3. ours " + s + " / raw copy limit (best of 1 and " + p + " threads)",
                        "x");
                results.define("job." + s + ".stock", "3. ours " + s + " / stock pipeline", "x");
                results.define(
                        "job." + s + ".up",
                        "3. ours " + s + " / raw copy with our write (diagnostic)",
                        "x");
            }
        }
        if (settings.only.contains("resume")) {
            results.define(
                    "resume.stop",
                    "4. stopped at (documents emitted before the savepoint)",
                    "docs");
            results.define(
                    "resume.reemitted",
                    "4. documents re-emitted after resume (Σ documentsEmitted − N)",
                    "docs");
            results.define(
                    "resume.refetched",
                    "4. documents re-fetched from the source (Σ documentsRead − N)",
                    "docs");
            results.define(
                    "resume.firstwrite", "4. resume submission → first write at the target", "s");
            results.define("resume.total", "4. wall time, run + stop-with-savepoint + resume", "s");
            results.define("resume.full", "4. wall time, uninterrupted run (same options)", "s");
            results.define("resume.ratio", "4. stopped-and-resumed / uninterrupted wall time", "x");
            results.define(
                    "resume.tapdata",
                    "4. anchor: whole unfinished splits re-read (Tapdata-style): copied docs read again",
                    "docs");
            results.define(
                    "stockresume.reemitted",
                    "4. anchor: stock connector, documents re-emitted after resume",
                    "docs");
            results.define(
                    "stockresume.firstwrite",
                    "4. anchor: stock connector, resume submission → first write",
                    "s");
        }
        if (settings.only.contains("cdc")) {
            results.define(
                    "cdc.rate",
                    "5. workload achieved (target " + (int) settings.cdcRate + " changes/s)",
                    "ops/s");
            results.define(
                    "cdc.seen",
                    "5. probes visible at the target within 15 s of the end of the load",
                    "%");
            defineLatencies(
                    "cdc",
                    "5. CDC latency source write → visible at target, p50 (of the probes seen)",
                    "5. CDC latency");
            defineLatencies(
                    "cdc.floor",
                    "5. floor: raw change stream (updateLookup) on the source, no job, p50",
                    "5. floor: raw change stream");
            results.define(
                    "cdc.floor.seen",
                    "5. floor: probes seen on the raw change stream within 15 s of the end",
                    "%");
        }
        if (settings.only.contains("memory")) {
            long m = settings.memoryDocs;
            results.define("mem.heap.n", fmt("6. peak live heap, N = %,d", m), "MB");
            results.define("mem.heap.5n", fmt("6. peak live heap, 5 × N = %,d", 5 * m), "MB");
            results.define("mem.heap.ratio", "6. heap 5 × N / N", "x");
            results.define(
                    "mem.state.n",
                    fmt("6. state (savepoint at 80 %% of the snapshot), N = %,d", m),
                    "MB");
            results.define(
                    "mem.state.5n",
                    fmt("6. state (savepoint at 80 %% of the snapshot), 5 × N = %,d", 5 * m),
                    "MB");
            results.define("mem.state.ratio", "6. state 5 × N / N", "x");
            results.define(
                    "mem.changes.n", "6. changes before that savepoint at N (of 5 % of N)", "ops");
            results.define("mem.changes.5n", "6. changes before that savepoint at 5 × N", "ops");
            results.define(
                    "mem.stateafter.n", "6. state (savepoint once the snapshot is done), N", "MB");
            results.define(
                    "mem.stateafter.5n",
                    "6. state (savepoint once the snapshot is done), 5 × N",
                    "MB");
        }
    }

    /**
     * The p50 row of a latency series under its own label, its p99 and max rows after {@code
     * label}.
     */
    private void defineLatencies(String key, String p50Label, String label) {
        results.define(key + ".p50", p50Label, "ms");
        results.define(key + ".p99", label + ", p99", "ms");
        results.define(key + ".max", label + ", max", "ms");
    }

    void run(int run) throws Exception {
        Path runDir = settings.workDir.resolve("run-" + run);
        Files.createDirectories(runDir);
        if (settings.only.stream().anyMatch(m -> !m.equals("memory") && !m.equals("scale"))) {
            withSource(run, runDir);
        }
        if (settings.only.contains("scale")) {
            scale.run(runDir);
        }
        if (settings.only.contains("memory")) {
            for (long size : new long[] {settings.memoryDocs, 5 * settings.memoryDocs}) {
                memory(runDir, size);
            }
            results.add("mem.heap.ratio", results.last("mem.heap.5n") / results.last("mem.heap.n"));
            results.add(
                    "mem.state.ratio", results.last("mem.state.5n") / results.last("mem.state.n"));
        }
    }

    /** The measurements on the run's seeded source: 1 to 5. */
    private void withSource(int run, Path runDir) throws Exception {
        try (ServerProcess source =
                ServerProcess.start("source-" + run, settings.serverHeap, runDir, settings.jfr)) {
            currentSource = source;
            long t = System.nanoTime();
            DataSet.seed(source.uri(), n);
            log("seeded %,d documents in %.1f s (%s)", n, secondsSince(t), source);

            double rawBest = 0;
            double rawUpsert = 0;
            double countRate = 0;
            if (settings.only.contains("copy")) {
                double single = rawCopy(runDir, source, "copy1", 1, false);
                results.add("copy.1", single);
                log("raw copy, 1 thread: %,.0f docs/s", single);
                double parallel = rawCopy(runDir, source, "copyP", p, false);
                results.add("copy.p", parallel);
                log("raw copy, %d threads: %,.0f docs/s", p, parallel);
                rawBest = Math.max(single, parallel);
                rawUpsert = rawCopy(runDir, source, "copyUp", p, true);
                results.add("copy.up", rawUpsert);
                log("raw copy, %d threads, replaceOne upsert: %,.0f docs/s", p, rawUpsert);
            }
            if (settings.only.contains("stock") || settings.only.contains("job")) {
                // The first Flink job in a JVM pays for JIT warm-up: rotate the order so that each
                // pipeline is
                // first in one run of three, and the medians do not carry the penalty.
                List<String> order = new ArrayList<>();
                if (settings.only.contains("stock")) {
                    order.add("stock");
                }
                if (settings.only.contains("job")) {
                    order.add("count");
                    order.add("min-max");
                }
                Collections.rotate(order, -(run - 1));
                Map<String, Double> rates = new HashMap<>();
                try (FlinkCluster cluster = new FlinkCluster(p)) {
                    for (String what : order) {
                        double rate;
                        if (what.equals("stock")) {
                            rate =
                                    withTarget(
                                            runDir,
                                            "stock",
                                            target -> stockFullSync(cluster, source, target));
                            results.add("stock", rate);
                            log("stock pipeline: %,.0f docs/s", rate);
                        } else {
                            rate =
                                    withTarget(
                                            runDir,
                                            "job-" + what,
                                            target ->
                                                    ourFullSync(
                                                            cluster, source, target, runDir, what));
                            results.add("job." + what, rate);
                            log("ours, %s: %,.0f docs/s", what, rate);
                        }
                        rates.put(what, rate);
                    }
                }
                countRate = rates.getOrDefault("count", 0.0);
                for (String strategy : new String[] {"count", "min-max"}) {
                    Double ours = rates.get(strategy);
                    if (ours == null) {
                        continue;
                    }
                    if (rawBest > 0) {
                        results.add("job." + strategy + ".raw", ours / rawBest);
                    }
                    if (rates.containsKey("stock")) {
                        results.add("job." + strategy + ".stock", ours / rates.get("stock"));
                    }
                    if (rawUpsert > 0) {
                        results.add("job." + strategy + ".up", ours / rawUpsert);
                    }
                }
            }
            if (settings.only.contains("resume")) {
                try (FlinkCluster cluster = new FlinkCluster(p)) {
                    // The uninterrupted run: this run's full sync with the same options, when it
                    // was measured.
                    double full =
                            countRate > 0
                                    ? n / countRate
                                    : withTarget(
                                            runDir,
                                            "resume-full",
                                            target ->
                                                    n
                                                            / ourFullSync(
                                                                    cluster, source, target, runDir,
                                                                    "count"));
                    results.add("resume.full", full);
                    withTarget(
                            runDir,
                            "resume",
                            target -> resume(cluster, source, target, runDir, full));
                    withTarget(
                            runDir,
                            "stock-resume",
                            target -> stockResume(cluster, source, target, runDir));
                }
            }
            if (settings.only.contains("cdc")) {
                // Last: the workload changes the source.
                try (FlinkCluster cluster = new FlinkCluster(p)) {
                    withTarget(runDir, "cdc", target -> cdc(cluster, source, target, runDir));
                }
            }
        }
        currentSource = null;
    }

    /** full+incremental: snapshot done, then the workload plus probes; latency of the probes. */
    private Void cdc(FlinkCluster cluster, ServerProcess source, ServerProcess target, Path runDir)
            throws Exception {
        // Phase 1, the floor: the workload and the probes on the source alone, a raw change stream
        // watching.
        int floorSeconds = Math.max(10, settings.cdcSeconds / 2);
        WorkloadGenerator floorLoad = workload(source, 5);
        floorLoad.start();
        CdcProbe floor = new CdcProbe("floor");
        try {
            floor.run(source.uri(), null, TARGET_DB, floorSeconds, 100, floorLoad::stop);
        } finally {
            if (floorLoad.isRunning()) {
                floorLoad.stop();
            }
        }

        // Phase 2: our job, snapshot done, then the workload and the probes, the target polled.
        Map<String, String> raw =
                ourOptions(source, target, runDir.resolve("state-cdc"), "count", n);
        raw.put("sync.type", "full+incremental");
        if (settings.cdcBatchWaitMs != null) {
            raw.put("target.batch-max-wait-ms", settings.cdcBatchWaitMs);
        }
        JobID job = OurJob.submit(cluster, raw, null);
        try (MongoClient client = MongoClients.create(target.uri());
                MongoClient sourceClient = MongoClients.create(source.uri())) {
            await(cluster, job, () -> cluster.sum(job, "documentsEmitted", null), n * 9 / 10);
            long converge = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (DataSet.count(client, TARGET_DB) != DataSet.count(sourceClient, DataSet.DATABASE)
                    && System.nanoTime() < converge) {
                Thread.sleep(200);
            }
        }
        WorkloadGenerator workload = workload(source, 7);
        workload.start();
        CdcProbe probe = new CdcProbe("job");
        WorkloadStats[] stats = new WorkloadStats[1];
        try {
            probe.run(
                    source.uri(),
                    target.uri(),
                    TARGET_DB,
                    settings.cdcSeconds,
                    100,
                    () -> stats[0] = workload.stop());
        } finally {
            if (stats[0] == null) {
                stats[0] = workload.stop();
            }
        }
        results.add("cdc.rate", stats[0].operationsPerSecond());
        results.add("cdc.seen", 100.0 * probe.latenciesMs().size() / Math.max(1, probe.written()));
        results.add(
                "cdc.floor.seen",
                100.0 * floor.latenciesMs().size() / Math.max(1, floor.written()));
        cluster.cancel(job);
        List<Double> lat = probe.latenciesMs();
        List<Double> fl = floor.latenciesMs();
        addLatencies("cdc", lat);
        addLatencies("cdc.floor", fl);
        log(
                "cdc: %d of %d probes, source → target %s; floor (raw change stream,"
                        + " no job) %s (%d of %d); workload %.0f ops/s",
                lat.size(),
                probe.written(),
                latencies(lat),
                latencies(fl),
                fl.size(),
                floor.written(),
                results.last("cdc.rate"));
        return null;
    }

    /** Adds the p50, p99 and max of {@code latencies} to the rows {@link #defineLatencies} made. */
    private void addLatencies(String key, List<Double> latencies) {
        results.add(key + ".p50", CdcProbe.percentile(latencies, 50));
        results.add(key + ".p99", CdcProbe.percentile(latencies, 99));
        results.add(key + ".max", CdcProbe.percentile(latencies, 100));
    }

    /** "p50 … ms, p99 … ms, max … ms" of {@code latencies}, for the log. */
    private static String latencies(List<Double> latencies) {
        return fmt(
                "p50 %.0f ms, p99 %.0f ms, max %.0f ms",
                CdcProbe.percentile(latencies, 50),
                CdcProbe.percentile(latencies, 99),
                CdcProbe.percentile(latencies, 100));
    }

    private WorkloadGenerator workload(ServerProcess source, long seed) {
        return WorkloadGenerator.builder()
                .uri(source.uri())
                .database(DataSet.DATABASE)
                .collections(DataSet.COLLECTION)
                .opsPerSecond(settings.cdcRate)
                .seed(seed)
                .build();
    }

    /**
     * full+incremental at {@code size} documents while the workload changes 5 % of the keys during
     * the snapshot: live heap high-water mark of this JVM and the size of the savepoint taken once
     * source and target agree.
     */
    private void memory(Path runDir, long size) throws Exception {
        String key = size == settings.memoryDocs ? "n" : "5n";
        Path dir = runDir.resolve("memory-" + size);
        Files.createDirectories(dir);
        try (ServerProcess source =
                        ServerProcess.start(
                                "source-mem-" + size, settings.serverHeap, dir, settings.jfr);
                ServerProcess target =
                        ServerProcess.start(
                                "target-mem-" + size, settings.serverHeap, dir, settings.jfr);
                MongoClient sourceClient = MongoClients.create(source.uri());
                MongoClient targetClient = MongoClients.create(target.uri())) {
            DataSet.seed(source.uri(), size);
            Map<String, String> raw =
                    ourOptions(source, target, dir.resolve("state"), "count", size);
            raw.put("sync.type", "full+incremental");
            long changes = size / 20;
            WorkloadGenerator workload =
                    WorkloadGenerator.builder()
                            .uri(source.uri())
                            .database(DataSet.DATABASE)
                            .collections(DataSet.COLLECTION)
                            .opsPerSecond(settings.memoryRate)
                            .maxOps(changes)
                            .seed(11)
                            // The generator lives in this JVM: a fixed sample of target ids keeps
                            // its own
                            // memory the same at N and 5 × N (all ids would add ~12 MB at 200 000).
                            .idSampleLimit(MEMORY_ID_SAMPLE)
                            .build();
            System.gc();
            try (FlinkCluster cluster = new FlinkCluster(p);
                    HeapWatcher heap = new HeapWatcher(2000)) {
                JobID job = OurJob.submit(cluster, raw, null);
                workload.start();
                // State is largest while the snapshot runs (the merge remembers every key a change
                // touched);
                // a savepoint at ~80 % of the snapshot measures it.
                await(
                        cluster,
                        job,
                        () -> cluster.sum(job, "documentsEmitted", null),
                        size * 8 / 10);
                String during = cluster.savepoint(job, dir.resolve("savepoint-during"));
                long changesAtSavepoint = workload.stats().totalOperations();
                await(
                        cluster,
                        job,
                        () -> cluster.sum(job, "documentsEmitted", null) >= size ? 1 : 0,
                        1);
                workload.awaitTermination(Duration.ofMinutes(30));
                WorkloadStats stats = workload.stop();
                // The change streams catch up slowly on this server (every getMore scans the whole
                // oplog):
                // wait at most a minute for equal counts, then take the "after" savepoint anyway.
                long converge = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (DataSet.count(targetClient, TARGET_DB)
                                != DataSet.count(sourceClient, DataSet.DATABASE)
                        && System.nanoTime() < converge) {
                    Thread.sleep(500);
                }
                long lag =
                        Math.abs(
                                DataSet.count(sourceClient, DataSet.DATABASE)
                                        - DataSet.count(targetClient, TARGET_DB));
                String after = cluster.stopWithSavepoint(job, dir.resolve("savepoint-after"));
                double duringMb =
                        directorySize(Path.of(java.net.URI.create(during))) / (1024.0 * 1024.0);
                double afterMb =
                        directorySize(Path.of(java.net.URI.create(after))) / (1024.0 * 1024.0);
                results.add("mem.heap." + key, heap.peakMb());
                results.add("mem.state." + key, duringMb);
                results.add("mem.stateafter." + key, afterMb);
                results.add("mem.changes." + key, changesAtSavepoint);
                log(
                        "memory at %,d docs: peak live heap %.0f MB; savepoint at 80 %% of the snapshot %.2f MB (%d changes"
                                + " so far), after the snapshot %.2f MB; %d changes in all; counts differ by %d"
                                + " at the second savepoint",
                        size,
                        heap.peakMb(),
                        duringMb,
                        changesAtSavepoint,
                        afterMb,
                        stats.totalOperations(),
                        lag);
            }
        }
    }

    private static long directorySize(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /**
     * Seconds → docs/s of our job (full sync) from submission to FINISHED, target count checked.
     */
    private double ourFullSync(
            FlinkCluster cluster,
            ServerProcess source,
            ServerProcess target,
            Path runDir,
            String strategy)
            throws Exception {
        Map<String, String> raw = ourOptions(source, target, runDir.resolve("state"), strategy, n);
        long start = System.nanoTime();
        JobID job = OurJob.submit(cluster, raw, null);
        cluster.awaitFinished(job, JOB_TIMEOUT);
        double seconds = secondsSince(start);
        checkTarget(target, "ours " + strategy);
        long emitted = cluster.sum(job, "documentsEmitted", null);
        if (emitted != n) {
            throw new IllegalStateException(
                    "ours " + strategy + " emitted " + emitted + " of " + n);
        }
        return n / seconds;
    }

    private double stockFullSync(FlinkCluster cluster, ServerProcess source, ServerProcess target)
            throws Exception {
        long start = System.nanoTime();
        JobID job = submitStock(cluster, source, target, null);
        cluster.awaitFinished(job, JOB_TIMEOUT);
        double seconds = secondsSince(start);
        checkTarget(target, "stock");
        long emitted = stockEmitted(cluster, job);
        if (emitted != n) {
            throw new IllegalStateException(
                    "stock source emitted " + emitted + " of " + n + " (overlapping splits?)");
        }
        return n / seconds;
    }

    private Void resume(
            FlinkCluster cluster,
            ServerProcess source,
            ServerProcess target,
            Path runDir,
            double uninterrupted)
            throws Exception {
        Path state = runDir.resolve("state-resume");
        Map<String, String> raw = ourOptions(source, target, state, "count", n);
        try (MongoClient client = MongoClients.create(target.uri())) {
            long t0 = System.nanoTime();
            JobID first = OurJob.submit(cluster, raw, null);
            await(cluster, first, () -> cluster.sum(first, "documentsEmitted", null), n / 2);
            String savepoint = cluster.stopWithSavepoint(first, state.resolve("savepoints"));
            cluster.awaitFinished(first, JOB_TIMEOUT);
            double firstPart = secondsSince(t0);
            long emittedBefore = cluster.sum(first, "documentsEmitted", null);
            long readBefore = cluster.sum(first, "documentsRead", null);
            long splitsFinished = cluster.max(first, "splitsFinished");
            long atStop = DataSet.count(client, TARGET_DB);

            long t1 = System.nanoTime();
            JobID second = OurJob.submit(cluster, raw, savepoint);
            double firstWrite = awaitTargetCount(cluster, second, client, atStop + 1);
            cluster.awaitFinished(second, JOB_TIMEOUT);
            double secondPart = secondsSince(t1);
            checkTarget(target, "ours resumed");
            long emittedAfter = cluster.sum(second, "documentsEmitted", null);
            long readAfter = cluster.sum(second, "documentsRead", null);

            long splitSize = OurJob.splitSize(n, p);
            long tapdata = Math.max(0, emittedBefore - Math.min(n, splitsFinished * splitSize));
            results.add("resume.stop", emittedBefore);
            results.add("resume.reemitted", emittedBefore + emittedAfter - n);
            results.add("resume.refetched", readBefore + readAfter - n);
            results.add("resume.firstwrite", firstWrite);
            results.add("resume.total", firstPart + secondPart);
            double full = uninterrupted;
            results.add("resume.ratio", (firstPart + secondPart) / full);
            results.add("resume.tapdata", tapdata);
            log(
                    "resume: stopped at %,d emitted (%d of %d splits finished), re-emitted %d, re-fetched %d,"
                            + " first write %.2f s after resubmission, %.1f s + %.1f s vs %.1f s uninterrupted;"
                            + " Tapdata-style re-read %,d",
                    emittedBefore,
                    splitsFinished,
                    OurJob.splits(p),
                    emittedBefore + emittedAfter - n,
                    readBefore + readAfter - n,
                    firstWrite,
                    firstPart,
                    secondPart,
                    full,
                    tapdata);
        }
        return null;
    }

    private Void stockResume(
            FlinkCluster cluster, ServerProcess source, ServerProcess target, Path runDir)
            throws Exception {
        Path state = runDir.resolve("state-stock");
        try (MongoClient client = MongoClients.create(target.uri())) {
            JobID first = submitStock(cluster, source, target, null);
            await(cluster, first, () -> stockEmitted(cluster, first), n / 2);
            String savepoint = cluster.stopWithSavepoint(first, state);
            cluster.awaitFinished(first, JOB_TIMEOUT);
            long emittedBefore = stockEmitted(cluster, first);
            long atStop = DataSet.count(client, TARGET_DB);
            long t1 = System.nanoTime();
            JobID second = submitStock(cluster, source, target, savepoint);
            double firstWrite = awaitTargetCount(cluster, second, client, atStop + 1);
            cluster.awaitFinished(second, JOB_TIMEOUT);
            checkTarget(target, "stock resumed");
            long emittedAfter = stockEmitted(cluster, second);
            results.add("stockresume.reemitted", emittedBefore + emittedAfter - n);
            results.add("stockresume.firstwrite", firstWrite);
            log(
                    "stock resume: emitted before %,d, re-emitted %d, first write %.2f s",
                    emittedBefore, emittedBefore + emittedAfter - n, firstWrite);
        }
        return null;
    }

    /** Polls the target count until it reaches {@code count}; returns the seconds waited. */
    private double awaitTargetCount(FlinkCluster cluster, JobID job, MongoClient client, long count)
            throws Exception {
        return await(cluster, job, () -> DataSet.count(client, TARGET_DB), count);
    }

    /**
     * Polls {@code value} until it reaches {@code count} (fails if the job ends first); returns the
     * seconds waited.
     */
    private double await(
            FlinkCluster cluster, JobID job, java.util.function.LongSupplier value, long count)
            throws Exception {
        long start = System.nanoTime();
        long deadline = start + JOB_TIMEOUT.toNanos();
        while (value.getAsLong() < count) {
            if (cluster.status(job).isGloballyTerminalState()) {
                cluster.awaitFinished(job, Duration.ZERO);
                throw new IllegalStateException(
                        "job " + job + " ended before the target held " + count);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("target never reached " + count);
            }
            Thread.sleep(5);
        }
        return secondsSince(start);
    }

    void evaluateTargets() {
        for (String s : new String[] {"count", "min-max"}) {
            if (results.has("job." + s + ".raw")) {
                double r = results.median("job." + s + ".raw");
                results.target(
                        "full sync (" + s + ") ≥ 0.8 × raw copy limit", fmt("%.3f×", r), r >= 0.8);
            }
            if (results.has("job." + s + ".stock")) {
                double r = results.median("job." + s + ".stock");
                results.target(
                        "full sync (" + s + ") ≥ 1.2 × stock pipeline", fmt("%.3f×", r), r >= 1.2);
            }
        }
        if (results.has("resume.reemitted")) {
            double worst = results.max("resume.reemitted");
            results.target(
                    "0 documents re-emitted after resume",
                    fmt("worst run %.0f", worst),
                    worst == 0);
            double refetched = results.max("resume.refetched");
            long bound =
                    (long) p
                            * Long.parseLong(
                                    settings.jobOptions.getOrDefault(
                                            "snapshot.batch-read-limit",
                                            String.valueOf(
                                                    MongoSnapshotSourceBuilder
                                                            .DEFAULT_BATCH_READ_LIMIT)));
            results.target(
                    "re-fetched ≤ readers × snapshot.batch-read-limit = " + bound,
                    fmt("worst run %.0f", refetched),
                    refetched <= bound);
            double first = results.median("resume.firstwrite");
            results.target(
                    "first write ≤ 5 s after resume submission", fmt("%.2f s", first), first <= 5);
        }
        if (results.has("cdc.p99")) {
            double p99 = results.median("cdc.p99");
            results.target(
                    "CDC p99 < 1 s at " + (int) settings.cdcRate + " changes/s",
                    fmt("%.0f ms", p99),
                    p99 < 1000);
        }
        if (results.has("mem.heap.ratio")) {
            double r = results.median("mem.heap.ratio");
            results.target(
                    "heap flat from N to 5 × N (live heap 5N / N ≤ 1.25)",
                    fmt("%.2f×", r),
                    r <= 1.25);
        }
    }

    /** Docs/s of the raw copy from {@code source} into a fresh target named {@code name}. */
    private double rawCopy(
            Path runDir, ServerProcess source, String name, int threads, boolean upsert)
            throws Exception {
        return withTarget(
                runDir,
                name,
                target -> n / RawCopy.copy(source.uri(), target.uri(), TARGET_DB, threads, upsert));
    }

    /** Our job's options for a copy of {@code docs} documents with {@code strategy}. */
    private Map<String, String> ourOptions(
            ServerProcess source, ServerProcess target, Path state, String strategy, long docs) {
        return OurJob.options(source.uri(), target.uri(), TARGET_DB, state, p, strategy, docs);
    }

    /** Submits the stock pipeline over all N documents, from {@code savepoint} when not null. */
    private JobID submitStock(
            FlinkCluster cluster, ServerProcess source, ServerProcess target, String savepoint)
            throws Exception {
        return cluster.submit(
                StockPipeline.graph(
                        source.uri(), target.uri(), TARGET_DB, p, stockStrategy(), n, savepoint));
    }

    /** Documents the stock pipeline's source has emitted. */
    private static long stockEmitted(FlinkCluster cluster, JobID job) {
        return cluster.sum(job, "numRecordsOut", StockPipeline.SOURCE_NAME);
    }

    private PartitionStrategy stockStrategy() {
        return PartitionStrategy.valueOf(settings.stockStrategy);
    }

    private void checkTarget(ServerProcess target, String what) {
        try (MongoClient client = MongoClients.create(target.uri())) {
            long count = DataSet.count(client, TARGET_DB);
            if (count != n) {
                throw new IllegalStateException(
                        what + ": target holds " + count + " of " + n + " documents");
            }
        }
    }

    interface TargetTask<T> {
        T run(ServerProcess target) throws Exception;
    }

    private <T> T withTarget(Path runDir, String name, TargetTask<T> task) throws Exception {
        try (ServerProcess target =
                ServerProcess.start("target-" + name, settings.serverHeap, runDir, settings.jfr)) {
            if (currentSource == null) {
                return task.run(target);
            }
            double source0 = cpuSeconds(currentSource.pid());
            double target0 = cpuSeconds(target.pid());
            double self0 = cpuSeconds(ProcessHandle.current().pid());
            T result = task.run(target);
            double source = cpuSeconds(currentSource.pid()) - source0;
            double targetCpu = cpuSeconds(target.pid()) - target0;
            double self = cpuSeconds(ProcessHandle.current().pid()) - self0;
            results.define(
                    "cpu." + name,
                    "CPU seconds, " + name + ": source + target + benchmark JVM (total)",
                    "s");
            results.add("cpu." + name, source + targetCpu + self);
            log(
                    "  CPU s for %s: source %.1f, target %.1f, benchmark JVM (driver / Flink) %.1f",
                    name, source, targetCpu, self);
            cpuLines.add(
                    fmt(
                            "%s: source %.1f s, target %.1f s, benchmark JVM %.1f s",
                            name, source, targetCpu, self));
            return result;
        }
    }

    /** CPU time (user + system) a process has used so far. */
    private static double cpuSeconds(long pid) {
        return ProcessHandle.of(pid)
                .flatMap(h -> h.info().totalCpuDuration())
                .map(d -> d.toNanos() / 1e9)
                .orElse(Double.NaN);
    }

    private static double secondsSince(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static void log(String format, Object... args) {
        System.out.printf(
                "%tT  %s%n", System.currentTimeMillis(), String.format(Locale.ROOT, format, args));
    }
}
