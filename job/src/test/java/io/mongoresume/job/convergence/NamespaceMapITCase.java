package io.mongoresume.job.convergence;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.mongoresume.job.config.InvalidConfigException;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.config.SyncType;
import io.mongoresume.job.demo.SampleDataSeeder;
import io.mongoresume.job.demo.SeedPlan;
import io.mongoresume.job.demo.WorkloadGenerator;
import io.mongoresume.job.testutils.MappedNamespaces;
import io.mongoresume.job.testutils.Migration;
import io.mongoresume.job.testutils.MigrationCluster;
import io.mongoresume.job.testutils.TestData;
import io.mongoresume.job.testutils.TestJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * target.namespace-map under a live workload, through a stop and a resume: every collection lands
 * where the map says (another name, another database, or target.database for the rest), a
 * collection created mid-run is followed under its mapped name, an unselected one is never copied,
 * and nothing lands under an unmapped name. A map that would mix two collections, or write onto a
 * collection the job reads, is refused before anything is written.
 */
class NamespaceMapITCase {

    private static final SeedPlan PLAN = SeedPlan.of(11L, 500, 3000, 800);

    @RegisterExtension static final MigrationCluster CLUSTER = MigrationCluster.of(1, 4);

    @Test
    void everyCollectionLandsWhereTheMapSaysThroughAStopAndAResume(
            @InjectClusterClient ClusterClient<?> client, Migration migration) throws Exception {
        MongoDatabase source = migration.source();
        String src = migration.sourceDb();
        String sales = src + "_sales";
        String archive = src + "_archive";
        SampleDataSeeder.seed(source, PLAN);
        TestData.insertNumbered(source, "tmp", 0, 1000); // not selected
        MigrationConfig config =
                migration
                        .options()
                        .sync(SyncType.FULL_INCREMENTAL)
                        .set(
                                "source.collection-regex",
                                "customers|orders|events.*|empty_collection|singleton")
                        .set(
                                "target.namespace-map",
                                src
                                        + ".orders -> "
                                        + sales
                                        + ".orders_v2;"
                                        + src
                                        + ".events* -> "
                                        + archive
                                        + ".events*")
                        .set("cdc.discovery-interval", "500 ms")
                        .set("snapshot.partition.size", "1000")
                        .checkpointInterval("500 ms")
                        .config();
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("customers", migration.targetDb() + ".customers");
        expected.put("orders", sales + ".orders_v2");
        expected.put("events", archive + ".events");
        expected.put("events_2025", archive + ".events_2025");
        expected.put("empty_collection", migration.targetDb() + ".empty_collection");
        expected.put("singleton", migration.targetDb() + ".singleton");
        WorkloadGenerator workload =
                WorkloadGenerator.builder()
                        .uri(CLUSTER.servers().sourceUri())
                        .database(src)
                        .collections(TestData.SAMPLE_COLLECTIONS)
                        .opsPerSecond(200)
                        .seed(5)
                        .build();
        workload.start();

        JobID first = TestJobs.submit(client, config, null);
        CLUSTER.awaitSnapshotFinished(
                first, TestData.SAMPLE_COLLECTIONS.size(), Duration.ofMinutes(2));
        TestData.insertNumbered(source, "events_2025", 0, 700); // followed under its mapped name
        source.getCollection("events_2025").updateMany(Filters.lt("_id", 50), Updates.set("v", 1));
        awaitEqual( // the workload does not write to it
                migration,
                Map.of("events_2025", expected.get("events_2025")),
                Duration.ofMinutes(2));
        String savepoint = TestJobs.stopAndAwait(client, first, migration.stateDir().resolve("sp"));

        source.getCollection("events_2025").deleteMany(Filters.lt("_id", 20)); // while stopped
        JobID resumed = TestJobs.submit(client, config, savepoint);
        Thread.sleep(1000);
        assertThat(workload.stop().totalOperations()).as("the workload ran").isGreaterThan(100);
        awaitEqual(migration, expected, Duration.ofMinutes(2));
        TestJobs.cancel(client, resumed);

        assertThat(MappedNamespaces.userNamespaces(CLUSTER.servers().targetClient(), src))
                .as("the target holds exactly the mapped namespaces")
                .containsExactlyInAnyOrderElementsOf(expected.values());
        assertThat(source.getCollection("tmp").countDocuments()).isEqualTo(1000);
    }

    @Test
    void aMapThatMixesTwoCollectionsIsRefusedBeforeAnyWrite(Migration migration) {
        TestData.insertNumbered(migration.source(), "orders", 0, 10);
        TestData.insertNumbered(migration.source(), "customers", 0, 10);
        MigrationConfig config =
                migration
                        .options()
                        .set(
                                "target.namespace-map",
                                migration.sourceDb()
                                        + ".orders -> "
                                        + migration.targetDb()
                                        + ".customers")
                        .config();

        assertThatThrownBy(() -> TestJobs.jobGraph(config, null))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(
                        "maps both '"
                                + migration.sourceDb()
                                + ".customers' and '"
                                + migration.sourceDb()
                                + ".orders' to '"
                                + migration.targetDb()
                                + ".customers'")
                .hasMessageContaining("Nothing was written.");
        assertThat(CLUSTER.servers().targetClient().listDatabaseNames().into(new ArrayList<>()))
                .doesNotContain(migration.targetDb());
    }

    @Test
    void aMapOntoACollectionTheJobReadsOnTheSameDeploymentIsRefused(Migration migration) {
        String src = migration.sourceDb();
        TestData.insertNumbered(migration.source(), "orders", 0, 10);
        TestData.insertNumbered(migration.source(), "customers", 0, 10);
        MigrationConfig config =
                migration
                        .options()
                        .set("target.uri", CLUSTER.servers().sourceUri())
                        .set(
                                "target.namespace-map",
                                src
                                        + ".orders -> "
                                        + src
                                        + ".customers;"
                                        + src
                                        + ".customers -> "
                                        + src
                                        + "_x.customers")
                        .config();

        assertThatThrownBy(() -> TestJobs.jobGraph(config, null))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("reach the same deployment")
                .hasMessageContaining("(orders -> customers)")
                .hasMessageContaining("Nothing was written.");
        assertThat(migration.source().getCollection("customers").countDocuments()).isEqualTo(10);
    }

    /** {@link MappedNamespaces#awaitEqual} for collections of the migration's source database. */
    private static void awaitEqual(
            Migration migration, Map<String, String> targets, Duration timeout)
            throws InterruptedException {
        Map<String, String> namespaces = new LinkedHashMap<>();
        targets.forEach((c, to) -> namespaces.put(migration.sourceDb() + "." + c, to));
        MappedNamespaces.awaitEqual(
                CLUSTER.servers().sourceClient(),
                CLUSTER.servers().targetClient(),
                namespaces,
                timeout);
    }
}
