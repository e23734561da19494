package io.mongoresume.job.convergence;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.mongoresume.job.config.InvalidConfigException;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.config.SyncType;
import io.mongoresume.job.demo.SampleDataSeeder;
import io.mongoresume.job.demo.SeedPlan;
import io.mongoresume.job.demo.WorkloadGenerator;
import io.mongoresume.job.testutils.JobOptions;
import io.mongoresume.job.testutils.MappedNamespaces;
import io.mongoresume.job.testutils.Migration;
import io.mongoresume.job.testutils.MigrationCluster;
import io.mongoresume.job.testutils.TestData;
import io.mongoresume.job.testutils.TestJobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A selection across databases under a live workload, through a stop and a resume: three source
 * databases picked by source.namespaces (a glob on a whole database, one literal namespace, a regex
 * on tenant databases) less source.exclude, renamed by a namespace map. Every selected namespace
 * lands where the map says and equals its source document by document; excluded and unselected
 * namespaces stay at the source only; a tenant database created while the job runs is followed;
 * nothing lands under an unmapped name. A pattern that matches nothing and an invalid regex are
 * refused before anything is written.
 */
class MultiDatabaseITCase {

    private static final SeedPlan PLAN = SeedPlan.of(17L, 400, 2500, 600);

    @RegisterExtension static final MigrationCluster CLUSTER = MigrationCluster.of(1, 4);

    @Test
    void threeDatabasesLandWhereTheMapSaysThroughAStopAndAResume(
            @InjectClusterClient ClusterClient<?> client, Migration migration) throws Exception {
        String src = migration.sourceDb();
        String shop = src + "_shop";
        String crm = src + "_crm";
        String tenant1 = src + "_tenant_1";
        String tenant2 = src + "_tenant_2"; // created while the job runs
        String shopV2 = src + "_shop_v2";
        String sales = src + "_sales";
        MongoClient sourceClient = CLUSTER.servers().sourceClient();
        MongoDatabase shopDb = sourceClient.getDatabase(shop);
        MongoDatabase crmDb = sourceClient.getDatabase(crm);
        MongoDatabase tenant1Db = sourceClient.getDatabase(tenant1);
        MongoDatabase tenant2Db = sourceClient.getDatabase(tenant2);

        SampleDataSeeder.seed(shopDb, PLAN);
        TestData.insertNumbered(shopDb, "tmp_import", 0, 500); // excluded
        TestData.insertNumbered(crmDb, "orders", 0, 3000);
        TestData.insertNumbered(crmDb, "contacts", 0, 300); // not selected
        TestData.insertNumbered(tenant1Db, "events", 0, 2000);
        TestData.insertNumbered(tenant1Db, "logs", 0, 200); // not selected

        MigrationConfig config =
                multiDatabase(migration, shop + ".*;" + crm + ".orders;" + tenantsRegex(src))
                        .set("source.exclude", shop + ".tmp_*")
                        .set(
                                "target.namespace-map",
                                shop
                                        + ".* -> "
                                        + shopV2
                                        + ".*;"
                                        + crm
                                        + ".orders -> "
                                        + sales
                                        + ".orders")
                        .sync(SyncType.FULL_INCREMENTAL)
                        .set("cdc.discovery-interval", "500 ms")
                        .set("snapshot.partition.size", "1000")
                        .checkpointInterval("500 ms")
                        .config();

        // Source namespace -> target namespace, as the map says (tenants keep their names).
        Map<String, String> expected = new LinkedHashMap<>();
        for (String c : TestData.SAMPLE_COLLECTIONS) {
            expected.put(shop + "." + c, shopV2 + "." + c);
        }
        expected.put(crm + ".orders", sales + ".orders");
        expected.put(tenant1 + ".events", tenant1 + ".events");

        WorkloadGenerator workload =
                WorkloadGenerator.builder()
                        .uri(CLUSTER.servers().sourceUri())
                        .database(shop)
                        .collections(TestData.SAMPLE_COLLECTIONS)
                        .opsPerSecond(200)
                        .seed(9)
                        .build();
        workload.start();

        JobID first = TestJobs.submit(client, config, null);
        CLUSTER.awaitSnapshotFinished(first, expected.size(), Duration.ofMinutes(2));
        // Changes in the other databases while the change streams run.
        crmDb.getCollection("orders").updateMany(Filters.lt("_id", 100), Updates.set("v", -1));
        tenant1Db.getCollection("events").deleteMany(Filters.lt("_id", 30));
        // Never copied: an excluded collection and an unselected one get writes too.
        TestData.insertNumbered(shopDb, "tmp_import", 1000, 50);
        TestData.insertNumbered(crmDb, "contacts", 1000, 50);
        // A new tenant database: its events are followed, its logs are not selected.
        TestData.insertNumbered(tenant2Db, "events", 0, 700);
        TestData.insertNumbered(tenant2Db, "logs", 0, 40);
        expected.put(tenant2 + ".events", tenant2 + ".events");
        MappedNamespaces.awaitEqual(
                CLUSTER.servers().sourceClient(),
                CLUSTER.servers().targetClient(),
                Map.of(
                        crm + ".orders", expected.get(crm + ".orders"),
                        tenant1 + ".events", expected.get(tenant1 + ".events"),
                        tenant2 + ".events", expected.get(tenant2 + ".events")),
                Duration.ofMinutes(2));
        String savepoint = TestJobs.stopAndAwait(client, first, migration.stateDir().resolve("sp"));

        // While stopped: changes in every database, which the resumed job must catch up on.
        tenant2Db.getCollection("events").updateMany(Filters.lt("_id", 70), Updates.set("v", 7));
        crmDb.getCollection("orders").deleteMany(Filters.gte("_id", 2900));
        TestData.insertNumbered(tenant1Db, "events", 5000, 100);

        JobID resumed = TestJobs.submit(client, config, savepoint);
        Thread.sleep(1000);
        assertThat(workload.stop().totalOperations()).as("the workload ran").isGreaterThan(100);
        MappedNamespaces.awaitEqual(
                CLUSTER.servers().sourceClient(),
                CLUSTER.servers().targetClient(),
                expected,
                Duration.ofMinutes(2));
        TestJobs.cancel(client, resumed);

        assertThat(MappedNamespaces.userNamespaces(CLUSTER.servers().targetClient(), src))
                .as("the target holds exactly the mapped namespaces")
                .containsExactlyInAnyOrderElementsOf(expected.values());
        assertThat(shopDb.getCollection("tmp_import").countDocuments()).isEqualTo(550);
        assertThat(crmDb.getCollection("contacts").countDocuments()).isEqualTo(350);
    }

    @Test
    void aDroppedDatabaseIsDroppedAtTheTargetWithDdlAndFollowedWhenItComesBack(
            @InjectClusterClient ClusterClient<?> client, Migration migration) throws Exception {
        String src = migration.sourceDb();
        String kept = src + "_kept";
        String gone = src + "_gone";
        MongoClient sourceClient = CLUSTER.servers().sourceClient();
        MongoClient targetClient = CLUSTER.servers().targetClient();
        TestData.insertNumbered(sourceClient.getDatabase(kept), "orders", 0, 300);
        TestData.insertNumbered(sourceClient.getDatabase(gone), "orders", 0, 200);
        TestData.insertNumbered(sourceClient.getDatabase(gone), "lines", 0, 100);
        MigrationConfig config =
                multiDatabase(migration, kept + ".*;" + gone + ".*")
                        .sync(SyncType.FULL_INCREMENTAL)
                        .set("ddl.enabled", "true")
                        .set("target.writers", "1")
                        .set("cdc.discovery-interval", "300 ms")
                        .checkpointInterval("500 ms")
                        .config();
        JobID job = TestJobs.submit(client, config, null);
        CLUSTER.awaitSnapshotFinished(job, 3, Duration.ofMinutes(2));
        // The drop comes once the database's change streams run (a change of it has arrived): a
        // collection dropped after the start position but before the change-stream enumerator's
        // first listing gets no stream today (noted as an open gap).
        TestData.insertNumbered(sourceClient.getDatabase(gone), "orders", 900, 1);
        TestJobs.await(
                "a change of the database at the target",
                Duration.ofMinutes(1),
                () ->
                        targetClient.getDatabase(gone).getCollection("orders").countDocuments()
                                == 201);

        sourceClient.getDatabase(gone).drop();
        TestData.insertNumbered(sourceClient.getDatabase(kept), "orders", 1000, 20);
        TestJobs.await(
                "the dropped database's collections gone at the target",
                Duration.ofMinutes(1),
                () -> MappedNamespaces.userNamespaces(targetClient, gone).isEmpty());

        // The database comes back with one collection: followed from its creation.
        TestData.insertNumbered(sourceClient.getDatabase(gone), "orders", 5000, 30);
        MappedNamespaces.awaitEqual(
                CLUSTER.servers().sourceClient(),
                CLUSTER.servers().targetClient(),
                Map.of(kept + ".orders", kept + ".orders", gone + ".orders", gone + ".orders"),
                Duration.ofMinutes(1));
        assertThat(client.getJobStatus(job).get()).isEqualTo(JobStatus.RUNNING);
        TestJobs.cancel(client, job);
        assertThat(MappedNamespaces.userNamespaces(targetClient, gone))
                .containsExactly(gone + ".orders");
    }

    @Test
    void aPatternThatMatchesNothingIsRefusedBeforeAnyWrite(Migration migration) {
        String src = migration.sourceDb();
        TestData.insertNumbered(
                CLUSTER.servers().sourceClient().getDatabase(src + "_shop"), "orders", 0, 10);
        String nothing = src + "_nowhere.*";
        MigrationConfig config =
                multiDatabase(migration, src + "_shop.*;" + nothing)
                        .sync(SyncType.FULL_INCREMENTAL)
                        .config();

        assertThatThrownBy(() -> TestJobs.jobGraph(config, null))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(
                        "Invalid value '" + nothing + "' for option 'source.namespaces'")
                .hasMessageContaining("matches no collection")
                .hasMessageContaining(src + "_shop.orders")
                .hasMessageContaining("Nothing was written.");
        assertThat(MappedNamespaces.userNamespaces(CLUSTER.servers().targetClient(), src))
                .isEmpty();
    }

    @Test
    void anInvalidRegexIsRefusedBeforeAnyWrite(Migration migration) {
        String src = migration.sourceDb();
        TestData.insertNumbered(
                CLUSTER.servers().sourceClient().getDatabase(src + "_shop"), "orders", 0, 10);
        JobOptions options = multiDatabase(migration, src + "_shop.*;/^" + src + "_(shop\\..*/");

        assertThatThrownBy(options::config)
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(
                        "Invalid value '/^" + src + "_(shop\\..*/' for option 'source.namespaces'")
                .hasMessageContaining("not a regular expression");
        assertThatThrownBy(
                        () ->
                                multiDatabase(migration, src + "_shop.*")
                                        .set("source.exclude", "/[/")
                                        .config())
                .hasMessageContaining("Invalid value '/[/' for option 'source.exclude'");
        assertThat(MappedNamespaces.userNamespaces(CLUSTER.servers().targetClient(), src))
                .isEmpty();
    }

    /** The migration's options across databases: source.namespaces, no one-database options. */
    private static JobOptions multiDatabase(Migration migration, String namespaces) {
        return migration
                .options()
                .without("source.database")
                .without("target.database")
                .set("source.namespaces", namespaces);
    }

    /** The tenant databases' events: {@code /^<src>_tenant_[0-9]+\.events$/}. */
    private static String tenantsRegex(String src) {
        return "/^" + src + "_tenant_[0-9]+\\.events$/";
    }
}
