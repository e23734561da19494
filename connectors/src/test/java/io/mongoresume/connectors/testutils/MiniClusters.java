package io.mongoresume.connectors.testutils;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The MiniCluster of an ITCase (register the result as a static {@code @RegisterExtension} field),
 * so that a test class states only its size and, when it reads metrics, the reporter that keeps
 * them.
 */
public final class MiniClusters {

    private MiniClusters() {}

    public static MiniClusterExtension of(int taskManagers, int slotsPerTaskManager) {
        return of(new Configuration(), taskManagers, slotsPerTaskManager);
    }

    /** A MiniCluster whose metrics {@code reporter} keeps. */
    public static MiniClusterExtension withMetrics(
            InMemoryReporter reporter, int taskManagers, int slotsPerTaskManager) {
        return of(
                reporter.addToConfiguration(new Configuration()),
                taskManagers,
                slotsPerTaskManager);
    }

    public static MiniClusterExtension of(
            Configuration configuration, int taskManagers, int slotsPerTaskManager) {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(taskManagers)
                        .setNumberSlotsPerTaskManager(slotsPerTaskManager)
                        .setConfiguration(configuration)
                        .build());
    }
}
