package io.mongoresume.job.testutils;

import com.mongodb.client.MongoDatabase;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One migration of a test: a source and a target database on a {@link ServerPair}, and the
 * directory its checkpoints and savepoints go to. Tests get a fresh one from {@link
 * MigrationCluster} (as a parameter, or from {@link MigrationCluster#migration}), so that they
 * never share data.
 */
public record Migration(ServerPair servers, String sourceDb, String targetDb, Path stateDir) {

    /** The same source and state directory onto another target database. */
    public Migration withTarget(String targetDatabase) {
        return new Migration(servers, sourceDb, targetDatabase, stateDir);
    }

    public MongoDatabase source() {
        return servers.sourceClient().getDatabase(sourceDb);
    }

    public MongoDatabase target() {
        return servers.targetClient().getDatabase(targetDb);
    }

    /**
     * {@link TestJobs#options} between the two databases, to be completed with what the test needs.
     */
    public JobOptions options() {
        return new JobOptions(
                TestJobs.options(
                        servers.sourceUri(), sourceDb, servers.targetUri(), targetDb, stateDir));
    }

    /** The target collection compared with its source, bit-exact. */
    public CollectionDiff diff(String collection) {
        return CollectionDiff.of(source(), target(), collection);
    }

    /** {@link TestData#awaitEqual} for these two databases. */
    public void awaitEqual(List<String> collections, Duration timeout) throws InterruptedException {
        TestData.awaitEqual(source(), target(), collections, timeout);
    }
}
