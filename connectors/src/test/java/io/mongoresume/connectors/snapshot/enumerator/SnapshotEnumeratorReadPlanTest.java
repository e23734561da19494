package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.read.DocumentSize;
import io.mongoresume.connectors.snapshot.MongoSnapshotSource;
import io.mongoresume.connectors.snapshot.SnapshotSourceOptions;
import io.mongoresume.connectors.snapshot.enumerator.partition.PartitionStrategy;
import io.mongoresume.connectors.snapshot.query.CollectionReadPlan;
import io.mongoresume.connectors.snapshot.query.RangeScanPlan;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The enumerator asks for a collection's read plan once and hands it out in every split of it. */
class SnapshotEnumeratorReadPlanTest {

    @Test
    void everySplitCarriesItsCollectionsPlanAskedOncePerCollection() {
        PlanCatalog catalog = new PlanCatalog().add("db.a", 25, 900).add("db.b", 5, 15_000_000);
        TestingSplitEnumeratorContext<SnapshotSplit> context =
                new TestingSplitEnumeratorContext<>(1);
        context.registerReader(0, "localhost");
        SnapshotSourceOptions options =
                MongoSnapshotSource.builder()
                        .connection(MongoConnectionOptions.of("mongodb://localhost:1", 1000))
                        .database("db")
                        .collectionRegex(".*")
                        .partitionStrategy(PartitionStrategy.COUNT)
                        .partitionSize(10)
                        .build()
                        .options();
        SnapshotEnumerator enumerator =
                new SnapshotEnumerator(
                        context, options, SnapshotEnumState.initial(), () -> catalog);
        enumerator.start();
        context.triggerAllActions();

        List<SnapshotSplit> splits = new ArrayList<>(enumerator.snapshotState(1).pendingSplits());
        assertThat(splits)
                .extracting(SnapshotSplit::splitId)
                .containsExactly("db.a_0", "db.a_1", "db.a_2", "db.b_0");
        for (SnapshotSplit split : splits) {
            assertThat(split.readPlan())
                    .as(split.splitId())
                    .isEqualTo(catalog.plan(split.namespace()));
        }
        assertThat(catalog.planRequests).isEqualTo(Map.of("db.a", 1, "db.b", 1));
        assertThat(splits.get(3).readPlan().cursorBatchSize(100))
                .as("15 MB documents: one per batch")
                .isEqualTo(1);
        enumerator.close();
    }

    /** Collections of int ids 0..n-1 with a given average document size, without a server. */
    private static final class PlanCatalog extends IntIdCatalog {
        private final Map<String, Long> averages = new LinkedHashMap<>();
        final Map<String, Integer> planRequests = new LinkedHashMap<>();

        PlanCatalog add(String namespace, int documents, long averageBytes) {
            add(namespace, documents);
            averages.put(namespace, averageBytes);
            return this;
        }

        CollectionReadPlan plan(String namespace) {
            return new CollectionReadPlan(
                    RangeScanPlan.INDEX_SCAN,
                    DocumentSize.of(averages.get(namespace), "collStats"));
        }

        @Override
        public CollectionReadPlan readPlan(String namespace) {
            planRequests.merge(namespace, 1, Integer::sum);
            return plan(namespace);
        }
    }
}
