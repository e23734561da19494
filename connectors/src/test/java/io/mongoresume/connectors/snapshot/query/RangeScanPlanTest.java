package io.mongoresume.connectors.snapshot.query;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Explain replies in the shapes MongoDB servers send (classic, slot-based, sharded, clustered). */
class RangeScanPlanTest {

    @Test
    void classicIndexScanUnderFetch() {
        assertThat(
                        classify(
                                "{queryPlanner: {winningPlan: {stage: 'FETCH', filter: {}, inputStage:"
                                        + " {stage: 'IXSCAN', keyPattern: {_id: 1}, indexName: '_id_'}}, rejectedPlans: []}}"))
                .isEqualTo(RangeScanPlan.INDEX_SCAN);
    }

    @Test
    void slotBasedEngineNestsThePlanUnderQueryPlan() {
        assertThat(
                        classify(
                                "{queryPlanner: {winningPlan: {queryPlan: {stage: 'LIMIT', inputStage: {stage:"
                                        + " 'FETCH', inputStage: {stage: 'IXSCAN'}}}, slotBasedPlan: {slots: ''}}}}"))
                .isEqualTo(RangeScanPlan.INDEX_SCAN);
    }

    @Test
    void shardedClusterReportsEachShard() {
        assertThat(
                        classify(
                                "{queryPlanner: {winningPlan: {stage: 'SHARD_MERGE_SORT', shards: ["
                                        + "{shardName: 'a', winningPlan: {stage: 'SHARDING_FILTER', inputStage: {stage: 'IXSCAN'}}},"
                                        + "{shardName: 'b', winningPlan: {stage: 'FETCH', inputStage: {stage: 'IXSCAN'}}}]}}}"))
                .isEqualTo(RangeScanPlan.INDEX_SCAN);
    }

    @Test
    void clusteredCollectionScansOnlyBetweenItsRecordBounds() {
        assertThat(
                        classify(
                                "{queryPlanner: {winningPlan: {stage: 'COLLSCAN', direction: 'forward',"
                                        + " minRecord: 100, maxRecord: 900}}}"))
                .isEqualTo(RangeScanPlan.INDEX_SCAN);
    }

    @Test
    void unboundedCollectionScanEvenWhenARejectedPlanUsedAnIndex() {
        assertThat(
                        classify(
                                "{queryPlanner: {winningPlan: {stage: 'SORT', inputStage: {stage: 'COLLSCAN',"
                                        + " direction: 'forward'}}, rejectedPlans: [{stage: 'IXSCAN'}]}}"))
                .isEqualTo(RangeScanPlan.COLLECTION_SCAN);
    }

    @Test
    void replyWithoutAPlanSaysNothing() {
        assertThat(classify("{ok: 1}")).isEqualTo(RangeScanPlan.UNKNOWN);
        assertThat(classify("{queryPlanner: {winningPlan: {stage: 'EOF'}}}"))
                .isEqualTo(RangeScanPlan.UNKNOWN);
    }

    private static RangeScanPlan classify(String json) {
        return RangeScanPlan.classify(BsonDocument.parse(json));
    }
}
