package io.mongoresume.job.merge;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import io.mongoresume.connectors.event.EventKind;
import io.mongoresume.connectors.event.MigrationEvent;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.mongoresume.job.merge.MergeTestEvents.applyToTarget;
import static io.mongoresume.job.merge.MergeTestEvents.bsonId;
import static io.mongoresume.job.merge.MergeTestEvents.createCollection;
import static io.mongoresume.job.merge.MergeTestEvents.delete;
import static io.mongoresume.job.merge.MergeTestEvents.doc;
import static io.mongoresume.job.merge.MergeTestEvents.dropCollection;
import static io.mongoresume.job.merge.MergeTestEvents.insert;
import static io.mongoresume.job.merge.MergeTestEvents.row;
import static io.mongoresume.job.merge.MergeTestEvents.update;
import static io.mongoresume.job.merge.SnapshotCdcMergeFunction.SNAPSHOT_DONE_WATERMARK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The merge rule (docs/design.md §5) under every interleaving of a snapshot row with its key's
 * change events.
 */
class SnapshotCdcMergeFunctionTest {

    private static final KeySelector<MigrationEvent, String> KEY = MigrationEvent::key;
    private static final int MAX_PARALLELISM = 128;

    private SnapshotCdcMergeFunction fn;

    // ---- single-key interleavings
    // ------------------------------------------------------------------------

    @Test
    void rowBeforeEventEmitsBothInOrder() throws Exception {
        try (Harness h = open()) {
            h.processElement1(row(1, 0), 0L);
            h.processElement2(update(1, 1), 0L);

            assertThat(h.extractOutputValues()).containsExactly(row(1, 0), update(1, 1));
            assertThat(fn.snapshotRowsEmitted()).isEqualTo(1);
            assertThat(fn.changeEventsEmitted()).isEqualTo(1);
            assertThat(fn.keysInState()).isEqualTo(1);
        }
    }

    @Test
    void eventBeforeRowDropsTheRow() throws Exception {
        try (Harness h = open()) {
            h.processElement2(update(1, 1), 0L);
            h.processElement1(row(1, 0), 0L);

            assertThat(h.extractOutputValues()).containsExactly(update(1, 1));
            assertThat(fn.snapshotRowsDropped()).isEqualTo(1);
            assertThat(fn.snapshotRowsEmitted()).isZero();
        }
    }

    @Test
    void deleteIsATombstoneForALaterStaleRow() throws Exception {
        assertDeleteThenStaleRowLeavesNoDocument();
    }

    /**
     * A delete, then the document's older snapshot row: only the delete goes out, the target has
     * nothing.
     */
    private void assertDeleteThenStaleRowLeavesNoDocument() throws Exception {
        try (Harness h = open()) {
            h.processElement2(delete(1), 0L);
            h.processElement1(row(1, 0), 0L);

            assertThat(h.extractOutputValues()).containsExactly(delete(1));
            assertThat(converge(h.extractOutputValues())).isEmpty();
        }
    }

    @Test
    void deleteAndReinsertThenRowKeepsTheInsert() throws Exception {
        try (Harness h = open()) {
            h.processElement2(delete(1), 0L);
            h.processElement2(insert(1, 2), 0L);
            h.processElement1(row(1, 0), 0L);

            assertThat(h.extractOutputValues()).containsExactly(delete(1), insert(1, 2));
            assertThat(converge(h.extractOutputValues()))
                    .containsExactly(Map.entry(row(1, 0).key(), doc(bsonId(1), 2)));
        }
    }

    /**
     * The document is updated and then deleted; the update's lookup finds nothing, so the CDC
     * source skips it and only the delete arrives. Whichever side comes first, the target ends
     * without the document.
     */
    @Test
    void updateWithNullLookupIsSkippedAndTheDeleteStillConverges() throws Exception {
        try (Harness h = open()) {
            h.processElement1(row(1, 0), 0L);
            h.processElement2(delete(1), 0L);
            assertThat(converge(h.extractOutputValues())).isEmpty();
        }
        assertDeleteThenStaleRowLeavesNoDocument();
    }

    @Test
    void keysAreIndependent() throws Exception {
        try (Harness h = open()) {
            h.processElement2(update(1, 1), 0L);
            h.processElement1(row(1, 0), 0L);
            h.processElement1(row(2, 0), 0L);
            h.processElement1(row("a", 0), 0L);
            h.processElement2(update(2, 1), 0L);

            assertThat(h.extractOutputValues())
                    .containsExactly(update(1, 1), row(2, 0), row("a", 0), update(2, 1));
            assertThat(fn.keysInState()).isEqualTo(2);
            // Two entries per touched key (the flag and when it was set); timers are not counted
            // here.
            assertThat(h.numKeyedStateEntries()).isEqualTo(4);
        }
    }

    /** MongoDB treats 1, NumberLong(1) and 1.0 as one _id; the merge must too. */
    @Test
    void numericallyEqualIdsAreOneKey() throws Exception {
        assertThat(row(1, 0).key()).isEqualTo(insert(1L, 0).key()).isEqualTo(delete(1.0).key());
        try (Harness h = open()) {
            h.processElement2(delete(1.0), 0L);
            h.processElement2(insert(1L, 2), 0L);
            h.processElement1(row(1, 0), 0L);

            assertThat(h.extractOutputValues()).containsExactly(delete(1.0), insert(1L, 2));
            assertThat(fn.keysInState()).isEqualTo(1);
            assertThat(fn.snapshotRowsDropped()).isEqualTo(1);
        }
    }

    @Test
    void ddlEventsPassThroughWithoutState() throws Exception {
        try (Harness h = open()) {
            h.processElement2(createCollection(), 0L);
            h.processElement1(row(1, 0), 0L);
            h.processElement2(dropCollection(), 0L);

            assertThat(h.extractOutputValues())
                    .containsExactly(createCollection(), row(1, 0), dropCollection());
            assertNoStateLeft(h);
        }
    }

    @Test
    void aDropMakesLaterSnapshotRowsOfTheCollectionStaleAlsoAfterRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (Harness h = open()) {
            h.processElement1(row(1, 0), 0L);
            h.processElement2(dropCollection(), 0L);
            h.processElement1(row(2, 0), 0L);
            h.processElement2(createCollection(), 0L);
            h.processElement2(insert(3, 1), 0L);
            h.processElement1(row(3, 0), 0L);
            assertThat(h.extractOutputValues())
                    .as(
                            "rows read before the drop but arriving after it are dropped, like deleted keys")
                    .containsExactly(row(1, 0), dropCollection(), createCollection(), insert(3, 1));
            snapshot = h.snapshot(1L, 1L);
        }
        try (Harness h = restore(snapshot, 1, 0)) {
            h.processElement1(row(4, 0), 0L);
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    // ---- releasing state at the end of the snapshot
    // ------------------------------------------------------

    @Test
    void snapshotFinishClearsStateAndLaterRecordsPassThrough() throws Exception {
        try (Harness h = open()) {
            holdAnUpdatedAndADeletedKey(h);

            // The snapshot input's MAX_WATERMARK alone: the combined watermark waits for the CDC
            // input.
            h.processWatermark1(Watermark.MAX_WATERMARK);
            assertThat(fn.keysInState()).isEqualTo(2);

            h.processWatermark2(new Watermark(SNAPSHOT_DONE_WATERMARK));
            assertNoStateLeft(h);

            // Cannot happen after the snapshot finished, but harmless: untouched, so emitted.
            h.processElement1(row(1, 0), 0L);
            h.processElement2(update(3, 1), 0L);
            h.processElement2(delete(3), 0L);

            assertThat(h.extractOutputValues())
                    .containsExactly(update(1, 1), delete(2), row(1, 0), update(3, 1), delete(3));
            assertNoStateLeft(h);
        }
    }

    /** Neither a key nor a keyed state entry is left. */
    private void assertNoStateLeft(Harness h) {
        assertThat(fn.keysInState()).isZero();
        assertThat(h.numKeyedStateEntries()).isZero();
    }

    /**
     * Change events of two keys during the snapshot (an update of 1, a delete of 2): both held in
     * state.
     */
    private void holdAnUpdatedAndADeletedKey(Harness h) throws Exception {
        h.processElement2(update(1, 1), 0L);
        h.processElement2(delete(2), 0L);
        assertThat(fn.keysInState()).isEqualTo(2);
    }

    @Test
    void changeEventsWhileTheSnapshotRunsKeepTheirStateUntilItFinishes() throws Exception {
        try (Harness h = open()) {
            h.processWatermark2(new Watermark(SNAPSHOT_DONE_WATERMARK));
            h.processElement2(update(1, 1), 0L);
            h.processElement2(update(1, 2), 0L);
            assertThat(fn.keysInState()).isEqualTo(1);
            assertThat(h.numKeyedStateEntries()).isEqualTo(2);

            h.processWatermark1(Watermark.MAX_WATERMARK);
            assertNoStateLeft(h);
        }
    }

    // ---- releasing state per collection (markers of every snapshot reader)
    // ------------------------------

    @Test
    void markersOfEveryReaderReleaseTheCollectionsKeysAtTheirNextCheck() throws Exception {
        try (Harness h = open()) {
            holdAnUpdatedAndADeletedKey(h);

            h.processElement1(marker(0, 2), 0L);
            h.setProcessingTime(SnapshotCdcMergeFunction.FIRST_RELEASE_CHECK_MILLIS);
            assertThat(fn.keysInState()).as("reader 1 may still send rows").isEqualTo(2);
            h.processElement1(row(1, 0), 0L);
            assertThat(fn.snapshotRowsDropped()).isEqualTo(1);

            h.processElement1(marker(1, 2), 0L);
            h.processElement2(update(3, 1), 0L);
            assertThat(fn.keysInState())
                    .as("a done collection's changes pass without state")
                    .isEqualTo(2);
            h.setProcessingTime(SnapshotCdcMergeFunction.MAX_RELEASE_CHECK_MILLIS * 2);
            assertNoStateLeft(h);
            assertThat(h.extractOutputValues())
                    .as("markers go nowhere")
                    .containsExactly(update(1, 1), delete(2), update(3, 1));
        }
    }

    @Test
    void aKeyHeldLongIsCheckedAtEverLongerIntervals() throws Exception {
        try (Harness h = open()) {
            h.processElement2(update(1, 1), 0L);
            for (long t = 0; t <= 3_600_000; t += 1_000) {
                h.setProcessingTime(t);
            }
            assertThat(fn.keysInState()).isEqualTo(1);
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            // 1 s, 2 s, 4 s ... then every 10 min: an hour costs about 15 checks, not 3 600.
            assertThat(fn.releaseChecks()).isBetween(10L, 20L);
        }
    }

    @Test
    void doneCollectionsSurviveARestoreAtAnyParallelism() throws Exception {
        OperatorSubtaskState snapshot;
        try (Harness h = open()) {
            h.processElement1(marker(0, 1), 0L);
            snapshot = h.snapshot(1L, 1L);
        }
        for (int subtask = 0; subtask < 2; subtask++) {
            OperatorSubtaskState part =
                    AbstractStreamOperatorTestHarness.repartitionOperatorState(
                            snapshot, MAX_PARALLELISM, 1, 2, subtask);
            try (Harness h = restore(part, 2, subtask)) {
                h.processElement2(update(idOnSubtask(subtask, 2), 1), 0L);
                assertThat(fn.keysInState()).as("subtask " + subtask).isZero();
            }
        }
    }

    // ---- checkpoint and restore
    // --------------------------------------------------------------------------

    @Test
    void restoreKeepsTouchedKeysTimersAndTheGauge() throws Exception {
        OperatorSubtaskState snapshot;
        try (Harness h = open()) {
            h.processWatermark2(new Watermark(SNAPSHOT_DONE_WATERMARK));
            h.processElement2(delete(1), 0L);
            h.processElement2(update(2, 1), 0L);
            h.processElement1(row(3, 0), 0L);
            snapshot = h.snapshot(1L, 1L);
        }

        try (Harness h = restore(snapshot, 1, 0)) {
            assertThat(fn.keysInState()).isEqualTo(2);
            h.processWatermark2(new Watermark(SNAPSHOT_DONE_WATERMARK));
            h.processElement1(row(1, 0), 0L);
            h.processElement1(row(2, 0), 0L);
            h.processElement1(row(4, 0), 0L);
            assertThat(h.extractOutputValues()).containsExactly(row(4, 0));
            assertThat(fn.snapshotRowsDropped()).isEqualTo(2);

            h.processWatermark1(Watermark.MAX_WATERMARK);
            assertNoStateLeft(h);
        }
    }

    /** Scaling two subtasks into one keeps the keys, their timers and the sum of the gauges. */
    @Test
    void restoreWithLowerParallelismSumsTheGauge() throws Exception {
        Object idOnSubtask0 = idOnSubtask(0, 2);
        Object idOnSubtask1 = idOnSubtask(1, 2);
        OperatorSubtaskState[] snapshots = new OperatorSubtaskState[2];
        Object[] ids = {idOnSubtask0, idOnSubtask1};
        for (int subtask = 0; subtask < 2; subtask++) {
            try (Harness h = restore(null, 2, subtask)) {
                h.processElement2(update(ids[subtask], 1), 0L);
                assertThat(fn.keysInState()).isEqualTo(1);
                snapshots[subtask] = h.snapshot(1L, 1L);
            }
        }

        OperatorSubtaskState merged = AbstractStreamOperatorTestHarness.repackageState(snapshots);
        try (Harness h = restore(merged, 1, 0)) {
            assertThat(fn.keysInState()).isEqualTo(2);
            h.processElement1(row(idOnSubtask0, 0), 0L);
            h.processElement1(row(idOnSubtask1, 0), 0L);
            assertThat(h.extractOutputValues()).isEmpty();

            h.processBothWatermarks(Watermark.MAX_WATERMARK);
            assertNoStateLeft(h);
        }
    }

    // ---- wiring mistakes fail loudly
    // ---------------------------------------------------------------------

    @Test
    void rejectsRecordsOnTheWrongInput() throws Exception {
        try (Harness h = open()) {
            assertThatThrownBy(() -> h.processElement1(update(1, 1), 0L))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> h.processElement2(row(1, 0), 0L))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void rejectsAnotherKey() throws Exception {
        KeySelector<MigrationEvent, String> byNamespace = MigrationEvent::namespace;
        try (KeyedTwoInputStreamOperatorTestHarness<
                        String, MigrationEvent, MigrationEvent, MigrationEvent>
                h =
                        ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                                new SnapshotCdcMergeFunction(),
                                byNamespace,
                                byNamespace,
                                Types.STRING)) {
            assertThatThrownBy(() -> h.processElement1(row(1, 0), 0L))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("MigrationEvent::key");
        }
    }

    // ---- end-to-end convergence over random histories
    // ----------------------------------------------------

    /**
     * For random per-key histories, a CDC start at or before each snapshot read, random
     * interleavings of the two inputs, the snapshot's end at a random point, and an optional
     * failover (checkpoint, more output, restore, replay): applying the merged output as the sink
     * does yields every key's final source state.
     */
    @Test
    void targetConvergesToTheSourceForRandomHistories() throws Exception {
        for (long seed = 0; seed < 500; seed++) {
            Random random = new Random(seed);
            Map<String, BsonDocument> expected = new HashMap<>();
            List<List<MigrationEvent>> cdcPerKey = new ArrayList<>();
            // Even seeds: a bounded snapshot that ends (MAX_WATERMARK); odd ones: two readers, each
            // sending its
            // SNAPSHOT_DONE marker after its own rows.
            boolean byMarkers = seed % 2 == 1;
            List<Step> reader0 = new ArrayList<>();
            List<Step> reader1 = new ArrayList<>();
            int keys = 1 + random.nextInt(3);
            for (int n = 1; n <= keys; n++) {
                History history = History.random(random, n);
                if (history.finalDoc != null) {
                    expected.put(row(n, 0).key(), history.finalDoc);
                }
                if (history.row != null) {
                    (byMarkers && random.nextBoolean() ? reader1 : reader0)
                            .add(Step.row(history.row));
                }
                cdcPerKey.add(history.cdc);
            }
            List<Step> snapshotSide;
            if (byMarkers) {
                reader0.add(Step.marker(marker(0, 2)));
                reader1.add(Step.marker(marker(1, 2)));
                snapshotSide = interleave(random, reader0, reader1);
            } else {
                snapshotSide = reader0;
                snapshotSide.add(Step.snapshotDone());
            }
            List<Step> cdcSide = interleaveCdc(random, cdcPerKey);
            List<Step> steps = interleave(random, snapshotSide, cdcSide);

            Map<String, BsonDocument> target = runWithOptionalFailover(random, steps);

            assertThat(target).as("seed %d, steps %s", seed, steps).isEqualTo(expected);
            assertThat(fn.keysInState()).as("seed %d", seed).isZero();
        }
    }

    private Map<String, BsonDocument> runWithOptionalFailover(Random random, List<Step> steps)
            throws Exception {
        List<MigrationEvent> sinkInput = new ArrayList<>();
        int resumeAt = 0;
        OperatorSubtaskState checkpoint = null;
        if (random.nextBoolean()) {
            int checkpointAt = random.nextInt(steps.size() + 1);
            int failAt = checkpointAt + random.nextInt(steps.size() - checkpointAt + 1);
            try (Harness h = open()) {
                h.processWatermark2(new Watermark(SNAPSHOT_DONE_WATERMARK));
                for (int i = 0; i < failAt; i++) {
                    if (i == checkpointAt) {
                        checkpoint = h.snapshot(1L, 1L);
                    }
                    steps.get(i).applyTo(h);
                }
                if (checkpoint == null) {
                    checkpoint = h.snapshot(1L, 1L);
                }
                sinkInput.addAll(h.extractOutputValues()); // written before the failure
            }
            resumeAt = checkpointAt;
        }
        try (Harness h = checkpoint == null ? open() : restore(checkpoint, 1, 0)) {
            // After a restore the CDC source emits its watermark again, and a snapshot source that
            // had
            // finished before the checkpoint is restored as finished and sends MAX_WATERMARK again.
            h.processWatermark2(new Watermark(SNAPSHOT_DONE_WATERMARK));
            if (steps.subList(0, resumeAt).stream().anyMatch(s -> s.snapshotDone)) {
                h.processWatermark1(Watermark.MAX_WATERMARK);
            }
            // Restarted readers hear again of the collection they had finished, and say so again.
            for (Step step : steps.subList(0, resumeAt)) {
                if (step.event != null && step.event.kind() == EventKind.SNAPSHOT_DONE) {
                    step.applyTo(h);
                }
            }
            long now = 0;
            for (Step step : steps.subList(resumeAt, steps.size())) {
                step.applyTo(h);
                // Time passes between records: release checks run while rows may still come.
                now += random.nextInt(2) * SnapshotCdcMergeFunction.FIRST_RELEASE_CHECK_MILLIS * 3;
                h.setProcessingTime(now);
            }
            h.setProcessingTime(SnapshotCdcMergeFunction.MAX_RELEASE_CHECK_MILLIS * 10);
            assertThat(h.numKeyedStateEntries()).isZero();
            sinkInput.addAll(h.extractOutputValues());
        }
        return converge(sinkInput);
    }

    // ---- helpers
    // -----------------------------------------------------------------------------------------

    /** The harness type, closeable in try-with-resources. */
    private static final class Harness
            extends KeyedTwoInputStreamOperatorTestHarness<
                    String, MigrationEvent, MigrationEvent, MigrationEvent>
            implements AutoCloseable {

        Harness(SnapshotCdcMergeFunction fn, int parallelism, int subtask) throws Exception {
            super(
                    new SnapshotCdcMergeOperator(fn),
                    KEY,
                    KEY,
                    Types.STRING,
                    MAX_PARALLELISM,
                    parallelism,
                    subtask);
        }
    }

    private Harness open() throws Exception {
        return restore(null, 1, 0);
    }

    private Harness restore(@Nullable OperatorSubtaskState state, int parallelism, int subtask)
            throws Exception {
        fn = new SnapshotCdcMergeFunction();
        Harness h = new Harness(fn, parallelism, subtask);
        h.setup();
        h.initializeState(state);
        h.open();
        return h;
    }

    /**
     * A SNAPSHOT_DONE marker of the test collection from one of {@code readers} snapshot readers.
     */
    private static MigrationEvent marker(int reader, int readers) {
        MigrationEvent row = row(0, 0);
        return MigrationEvent.snapshotDone(
                row.database(),
                row.collection(),
                new org.bson.BsonArray(List.of(new org.bson.BsonInt32(reader))),
                reader,
                readers);
    }

    private static Object idOnSubtask(int subtask, int parallelism) {
        for (int id = 0; ; id++) {
            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(
                            row(id, 0).key(), MAX_PARALLELISM, parallelism)
                    == subtask) {
                return id;
            }
        }
    }

    private static Map<String, BsonDocument> converge(List<MigrationEvent> merged) {
        Map<String, BsonDocument> target = new HashMap<>();
        merged.forEach(event -> applyToTarget(event, target));
        return target;
    }

    /**
     * The CDC stream of one collection: the keys' events in a random order that keeps each key's
     * order.
     */
    private static List<Step> interleaveCdc(Random random, List<List<MigrationEvent>> perKey) {
        List<Step> result = new ArrayList<>();
        List<Integer> next = new ArrayList<>();
        perKey.forEach(events -> next.add(0));
        int remaining = perKey.stream().mapToInt(List::size).sum();
        while (remaining > 0) {
            int key = random.nextInt(perKey.size());
            if (next.get(key) < perKey.get(key).size()) {
                result.add(Step.change(perKey.get(key).get(next.get(key))));
                next.set(key, next.get(key) + 1);
                remaining--;
            }
        }
        return result;
    }

    /** How the two inputs meet at the operator: any interleaving that keeps each input's order. */
    private static List<Step> interleave(Random random, List<Step> first, List<Step> second) {
        List<Step> result = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < first.size() || j < second.size()) {
            boolean takeFirst =
                    j == second.size()
                            || (i < first.size()
                                    && random.nextInt(first.size() - i + second.size() - j)
                                            < first.size() - i);
            result.add(takeFirst ? first.get(i++) : second.get(j++));
        }
        return result;
    }

    /** One input element: a snapshot row, a change event or the snapshot source's end. */
    private static final class Step {
        @Nullable final MigrationEvent event;
        final boolean snapshotDone;

        private Step(@Nullable MigrationEvent event, boolean snapshotDone) {
            this.event = event;
            this.snapshotDone = snapshotDone;
        }

        static Step row(MigrationEvent row) {
            return new Step(row, false);
        }

        static Step change(MigrationEvent event) {
            return new Step(event, false);
        }

        static Step snapshotDone() {
            return new Step(null, true);
        }

        static Step marker(MigrationEvent marker) {
            return new Step(marker, false);
        }

        void applyTo(Harness h) throws Exception {
            if (snapshotDone) {
                h.processWatermark1(Watermark.MAX_WATERMARK);
            } else if (event.kind() == EventKind.SNAPSHOT_ROW
                    || event.kind() == EventKind.SNAPSHOT_DONE) {
                h.processElement1(event, 0L);
            } else {
                h.processElement2(event, 0L);
            }
        }

        @Override
        public String toString() {
            return snapshotDone ? "SNAPSHOT_DONE" : event.toString();
        }
    }

    /**
     * One document's source history: states S[0..n] where op i turns S[i] into S[i+1]; a snapshot
     * read at a random t, a CDC start p <= t, and the events the CDC source delivers from p on.
     * Re-inserts use a random numeric type for the same _id; an update's lookup sees a state at or
     * after its change (monotonically), and is skipped when that state is "gone", as the CDC source
     * does.
     */
    private static final class History {
        final List<MigrationEvent> cdc = new ArrayList<>();
        @Nullable MigrationEvent row;
        @Nullable BsonDocument finalDoc;

        static History random(Random random, int n) {
            int ops = random.nextInt(8);
            BsonDocument[] states = new BsonDocument[ops + 1];
            EventKind[] kinds = new EventKind[ops];
            states[0] = random.nextBoolean() ? doc(numericId(random, n), 0) : null;
            for (int i = 0; i < ops; i++) {
                BsonDocument current = states[i];
                if (current == null) {
                    kinds[i] = EventKind.INSERT;
                    states[i + 1] = doc(numericId(random, n), i + 1);
                } else if (random.nextInt(3) == 0) {
                    kinds[i] = EventKind.DELETE;
                    states[i + 1] = null;
                } else {
                    kinds[i] = EventKind.UPDATE;
                    states[i + 1] = doc(current.get("_id"), i + 1);
                }
            }
            History history = new History();
            int readAt = random.nextInt(ops + 1);
            int cdcStart = random.nextInt(readAt + 1);
            if (states[readAt] != null) {
                history.row = snapshotRowOf(states[readAt]);
            }
            int lastLookup = 0;
            for (int i = cdcStart; i < ops; i++) {
                switch (kinds[i]) {
                    case INSERT:
                        history.cdc.add(changeOf(EventKind.INSERT, states[i + 1]));
                        break;
                    case DELETE:
                        history.cdc.add(delete(states[i].get("_id")));
                        break;
                    default:
                        int from = Math.max(i + 1, lastLookup);
                        lastLookup = from + random.nextInt(ops - from + 1);
                        BsonDocument lookedUp = states[lastLookup];
                        if (lookedUp != null) {
                            history.cdc.add(changeOf(EventKind.UPDATE, lookedUp));
                        }
                }
            }
            history.finalDoc = states[ops];
            return history;
        }

        private static BsonValue numericId(Random random, int n) {
            switch (random.nextInt(3)) {
                case 0:
                    return bsonId(n);
                case 1:
                    return bsonId((long) n);
                default:
                    return bsonId((double) n);
            }
        }

        private static MigrationEvent snapshotRowOf(BsonDocument doc) {
            return MigrationEvent.snapshotRow(
                    MergeTestEvents.DB,
                    MergeTestEvents.COLLECTION,
                    doc.get("_id"),
                    io.mongoresume.connectors.common.bson.BsonBytes.toBytes(doc),
                    0L);
        }

        private static MigrationEvent changeOf(EventKind kind, BsonDocument doc) {
            return MigrationEvent.change(
                    kind,
                    MergeTestEvents.DB,
                    MergeTestEvents.COLLECTION,
                    doc.get("_id"),
                    io.mongoresume.connectors.common.bson.BsonBytes.toBytes(doc),
                    0L);
        }
    }
}
