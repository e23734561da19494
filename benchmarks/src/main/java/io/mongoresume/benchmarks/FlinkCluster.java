package io.mongoresume.benchmarks;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.testutils.InMemoryReporter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A MiniCluster in the benchmark JVM with an in-memory metric reporter that keeps metrics of ended
 * jobs.
 */
final class FlinkCluster implements AutoCloseable {

    private final MiniCluster cluster;
    private final InMemoryReporter reporter = InMemoryReporter.createWithRetainedMetrics();

    FlinkCluster(int slots) throws Exception {
        Configuration conf = reporter.addToConfiguration(new Configuration());
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("256m"));
        cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(slots)
                                .build());
        cluster.start();
    }

    JobID submit(JobGraph graph) throws Exception {
        return cluster.submitJob(graph).get().getJobID();
    }

    JobStatus status(JobID job) throws Exception {
        return cluster.getJobStatus(job).get();
    }

    /** Waits until the job ends; throws with the job's failure cause unless it FINISHED. */
    void awaitFinished(JobID job, Duration timeout) throws Exception {
        awaitTerminal(job, timeout, JobStatus.FINISHED);
    }

    void awaitTerminal(JobID job, Duration timeout, JobStatus expected) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JobStatus status = status(job);
            if (status.isGloballyTerminalState()) {
                if (status != expected) {
                    cluster.requestJobResult(job)
                            .get()
                            .toJobExecutionResult(FlinkCluster.class.getClassLoader());
                    throw new IllegalStateException("job " + job + " ended " + status);
                }
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("job " + job + " did not end within " + timeout);
    }

    /** A savepoint of a running job, which keeps running. */
    String savepoint(JobID job, Path dir) throws Exception {
        return cluster.triggerSavepoint(
                        job, dir.toUri().toString(), false, SavepointFormatType.CANONICAL)
                .get();
    }

    void cancel(JobID job) throws Exception {
        cluster.cancelJob(job).get();
        awaitTerminal(job, Duration.ofMinutes(1), JobStatus.CANCELED);
    }

    String stopWithSavepoint(JobID job, Path dir) throws Exception {
        return cluster.stopWithSavepoint(
                        job, dir.toUri().toString(), false, SavepointFormatType.CANONICAL)
                .get();
    }

    /**
     * Sum of a counter or numeric gauge over a job's metric groups; with an operator name prefix
     * only the operator-level groups of operators whose name contains it (task-level groups carry
     * the same names).
     */
    long sum(JobID job, String metricName, String operatorPrefix) {
        return aggregate(job, metricName, operatorPrefix, false);
    }

    /**
     * The largest value of a metric over a job's groups (e.g. a job-wide gauge also kept per
     * collection).
     */
    long max(JobID job, String metricName) {
        return aggregate(job, metricName, null, true);
    }

    private long aggregate(JobID job, String metricName, String operatorPrefix, boolean max) {
        long total = 0;
        for (Map.Entry<org.apache.flink.metrics.MetricGroup, Map<String, Metric>> entry :
                reporter.getMetricsByGroup().entrySet()) {
            Map<String, String> vars = entry.getKey().getAllVariables();
            if (!job.toString().equals(vars.get("<job_id>"))) {
                continue;
            }
            if (operatorPrefix != null) {
                String operator = vars.get("<operator_name>");
                if (operator == null || !operator.contains(operatorPrefix)) {
                    continue;
                }
            }
            Metric metric = entry.getValue().get(metricName);
            long value = 0;
            if (metric instanceof Counter) {
                value = ((Counter) metric).getCount();
            } else if (metric instanceof Gauge) {
                Object v = ((Gauge<?>) metric).getValue();
                value = v instanceof Number ? ((Number) v).longValue() : 0;
            }
            total = max ? Math.max(total, value) : total + value;
        }
        return total;
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
