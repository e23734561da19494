package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.core.io.SimpleVersionedSerialization;

import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.common.read.DocumentSize;
import io.mongoresume.connectors.snapshot.query.CollectionReadPlan;
import io.mongoresume.connectors.snapshot.query.RangeScanPlan;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Enumerator state written by earlier releases restores; pending splits keep their read plans. */
class SnapshotEnumStateRestoreTest {

    /**
     * A state as the release before read plans wrote it (enumerator state version 1 holding splits
     * of split version 1): collection "orders" done (4 splits, 1 finished), one pending split with
     * progress, "shop.orders_2" assigned, "shop.orders_0" finished. Written by the serializers of
     * commit 7eef506.
     */
    private static final SnapshotEnumStateSerializer SERIALIZER =
            new SnapshotEnumStateSerializer(null);

    private static final String V1_STATE_WITH_V1_SPLITS =
            "00000001000000da4d525345000000010100000001000000066f72646572730004444f4e45010000000400"
                    + "00000100000000000000010000000d73686f702e6f72646572735f330000000473686f7000000006"
                    + "6f726465727300064e554d424552010000000c0c0000001076006400000000010000001010000000"
                    + "127600840300000000000000010000000c0c000000107600f3010000000100000010100000000176"
                    + "0000000000004480400000000000010000000d73686f702e6f72646572735f32000000066f726465"
                    + "7273000000010000000d73686f702e6f72646572735f30";

    @Test
    void restoresStateOfTheReleaseBeforeReadPlans() throws IOException {
        SnapshotEnumState state =
                SimpleVersionedSerialization.readVersionAndDeSerialize(
                        new SnapshotEnumStateSerializer("shop"), hex(V1_STATE_WITH_V1_SPLITS));
        assertThat(state.collectionsResolved()).isTrue();
        assertThat(state.collections())
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.namespace()).isEqualTo("shop.orders");
                            assertThat(c.phase()).isEqualTo(CollectionPhase.DONE);
                            assertThat(c.splitsTotal()).isEqualTo(4);
                            assertThat(c.splitsFinished()).isEqualTo(1);
                        });
        assertThat(state.pendingSplits())
                .containsExactly(
                        SnapshotSplit.unread(
                                        "shop",
                                        "orders",
                                        3,
                                        TypeBracket.NUMBER,
                                        new BsonInt32(100),
                                        new BsonInt64(900))
                                .withProgress(new BsonInt32(499), new BsonDouble(520.5)));
        assertThat(state.pendingSplits().iterator().next().readPlan()).isNull();
        assertThat(state.assignedSplits()).isEqualTo(Map.of("shop.orders_2", "shop.orders"));
        assertThat(state.finishedSplitIds()).containsExactly("shop.orders_0");
    }

    @Test
    void pendingSplitsKeepTheirReadPlan() throws IOException {
        CollectionReadPlan plan =
                new CollectionReadPlan(
                        RangeScanPlan.UNKNOWN, DocumentSize.of(124_860, "collStats"));
        SnapshotSplit pending =
                SnapshotSplit.unread("db", "c", 0, TypeBracket.NUMBER, null, null)
                        .withReadPlan(plan);
        SnapshotEnumState state =
                new SnapshotEnumState(
                        true,
                        List.of(CollectionProgress.notStarted("db.c")),
                        List.of(pending),
                        Map.of(),
                        List.of());
        SnapshotEnumState copy =
                SimpleVersionedSerialization.readVersionAndDeSerialize(
                        SERIALIZER,
                        SimpleVersionedSerialization.writeVersionAndSerialize(SERIALIZER, state));
        assertThat(copy.pendingSplits()).containsExactly(pending);
        assertThat(copy.pendingSplits().iterator().next().readPlan()).isEqualTo(plan);
    }

    private static byte[] hex(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
