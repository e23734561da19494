package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;

import io.mongoresume.connectors.common.CollectionPreparer;
import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.common.selection.NamespacePattern;
import io.mongoresume.connectors.snapshot.MongoSnapshotSource;
import io.mongoresume.connectors.snapshot.MongoSnapshotSourceBuilder;
import io.mongoresume.connectors.snapshot.SnapshotSourceOptions;
import io.mongoresume.connectors.snapshot.enumerator.partition.CountScanPosition;
import io.mongoresume.connectors.snapshot.enumerator.partition.IdSource;
import io.mongoresume.connectors.snapshot.enumerator.partition.PartitionStrategy;
import io.mongoresume.connectors.snapshot.event.CollectionsDoneEvent;
import io.mongoresume.connectors.snapshot.event.SplitsFinishedEvent;
import io.mongoresume.connectors.snapshot.event.SplitsHeldEvent;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;
import org.bson.BsonInt32;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotEnumeratorTest {

    private final List<String> prepared = new CopyOnWriteArrayList<>();
    private final List<String> completed = new CopyOnWriteArrayList<>();
    private final List<String> claimed = new CopyOnWriteArrayList<>();
    private final List<String> preparedKeeping = new CopyOnWriteArrayList<>();
    private final FakeCatalog catalog = new FakeCatalog();

    @Test
    void preparesPartitionsAndAssignsOnRequestThenSignalsTheEnd() {
        catalog.add("db.b", 0).add("db.a", 25).add("db.c", 5).add("db.system.views", 1);
        TestingSplitEnumeratorContext<SnapshotSplit> context = contextWithReaders(2);
        SnapshotEnumerator enumerator =
                enumerator(context, options(".*", 10), SnapshotEnumState.initial());
        enumerator.start();
        enumerator.handleSplitRequest(0, null); // before partitioning: waits
        assertThat(assigned(context, 0)).isEmpty();

        context.triggerAllActions();
        assertThat(prepared).containsExactly("db.a", "db.b", "db.c");
        assertThat(assigned(context, 0)).containsExactly("db.a_0");

        enumerator.handleSplitRequest(1, null);
        enumerator.handleSplitRequest(0, null);
        enumerator.handleSplitRequest(1, null);
        enumerator.handleSplitRequest(0, null);
        assertThat(assigned(context, 0)).containsExactly("db.a_0", "db.a_2");
        assertThat(assigned(context, 1)).containsExactly("db.a_1", "db.c_0");
        assertThat(context.getSplitAssignments().get(0).hasReceivedNoMoreSplitsSignal()).isTrue();
        assertThat(context.getSplitAssignments().get(1).hasReceivedNoMoreSplitsSignal()).isFalse();

        SnapshotEnumState state = enumerator.snapshotState(1);
        assertThat(state.collectionsResolved()).isTrue();
        assertThat(state.pendingSplits()).isEmpty();
        assertThat(state.collections())
                .extracting(
                        CollectionProgress::namespace,
                        CollectionProgress::phase,
                        CollectionProgress::splitsTotal)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("db.a", CollectionPhase.DONE, 3),
                        org.assertj.core.groups.Tuple.tuple("db.b", CollectionPhase.DONE, 0),
                        org.assertj.core.groups.Tuple.tuple("db.c", CollectionPhase.DONE, 1));
        assertThat(state.collections().get(1).finished())
                .as("empty collection is finished")
                .isTrue();
        assertThat(catalog.scans).containsOnlyKeys("db.a", "db.b", "db.c");
    }

    @Test
    void preparesEveryTargetBeforeTheFirstSplitAndRecordsItOnce() {
        catalog.add("db.b", 5).add("db.a", 25);
        TestingSplitEnumeratorContext<SnapshotSplit> context = contextWithReaders(1);
        SnapshotEnumerator enumerator =
                started(context, options(".*", 10), SnapshotEnumState.initial());
        assertThat(prepared).containsExactly("db.a", "db.b");
        assertThat(completed).containsExactly("fresh-id:db:[a, b]");
        assertThat(catalog.scanOrderAfterPreparing).containsExactly("db.a", "db.b");
    }

    @Test
    void aRestoredEnumeratorKeepsTheMigrationIdOfItsFirstStart() {
        // Restored from a checkpoint taken while preparing: b is still to be prepared, under the
        // first start's id
        // (the change streams wait for that id's record), not under the id of the resumed job
        // graph.
        catalog.add("db.a", 5).add("db.b", 5);
        SnapshotEnumState state =
                new SnapshotEnumState(
                        true,
                        List.of(
                                SnapshotEnumStateSerializerTest.preparedNotStarted("db.a"),
                                CollectionProgress.notStarted("db.b")),
                        List.of(),
                        Map.of(),
                        List.of(),
                        null,
                        "first-start");
        TestingSplitEnumeratorContext<SnapshotSplit> context = contextWithReaders(1);
        SnapshotEnumerator enumerator = started(context, options(".*", 10), state);
        assertThat(prepared).containsExactly("db.b");
        assertThat(completed).containsExactly("first-start:db:[a, b]");
        assertThat(enumerator.snapshotState(1).migrationId()).isEqualTo("first-start");
    }

    @Test
    void aRestartedFreshAttemptDoesNotPrepareATargetItsJobPreparedAlready() {
        catalog.add("db.a", 5);
        alreadyComplete = true;
        TestingSplitEnumeratorContext<SnapshotSplit> context = contextWithReaders(1);
        SnapshotEnumerator enumerator =
                started(context, options(".*", 10), SnapshotEnumState.initial());
        assertThat(prepared).as("nothing cleared or dropped again").isEmpty();
        assertThat(preparedKeeping).as("what is missing is created").containsExactly("db.a");
        assertThat(completed).isEmpty();
        enumerator.handleSplitRequest(0, null);
        assertThat(assigned(context, 0)).containsExactly("db.a_0");
        assertThat(enumerator.snapshotState(1).collections())
                .allMatch(CollectionProgress::prepared);
    }

    @Test
    void doesNothingUntilAReaderRegisters() {
        // A source restored as finished gets a fresh enumerator whose readers never start: it must
        // not
        // resolve, partition or prepare (clear, drop) the target again.
        catalog.add("db.a", 25);
        TestingSplitEnumeratorContext<SnapshotSplit> context =
                new TestingSplitEnumeratorContext<>(2);
        SnapshotEnumerator enumerator =
                started(context, options(".*", 10), SnapshotEnumState.initial());
        assertThat(prepared).isEmpty();
        assertThat(catalog.scans).isEmpty();
        assertThat(enumerator.snapshotState(1).collectionsResolved()).isFalse();

        context.registerReader(1, "localhost");
        enumerator.addReader(1);
        context.triggerAllActions();
        assertThat(prepared).containsExactly("db.a");
        enumerator.handleSplitRequest(1, null);
        assertThat(assigned(context, 1)).containsExactly("db.a_0");
    }

    @Test
    void splitsReportedFinishedButGivenBackByAFailedReaderAreReadAgain() {
        // A failover before the checkpoint that would cover them: their rows may never have reached
        // the
        // target, so "finished" does not count.
        TestingSplitEnumeratorContext<SnapshotSplit> context = contextWithReaders(2);
        SnapshotEnumerator enumerator = startedOnThreeSplits(context);
        enumerator.handleSplitRequest(0, null);
        enumerator.handleSplitRequest(1, null);
        List<SnapshotSplit> toReader0 = context.getSplitAssignments().get(0).getAssignedSplits();
        enumerator.handleSourceEvent(0, new SplitsFinishedEvent(Map.of("db.a_0", "db.a")));
        enumerator.handleSplitRequest(0, null);
        assertThat(assigned(context, 0)).containsExactly("db.a_0", "db.a_2");
        assertThat(enumerator.snapshotState(1).collections().get(0).splitsFinished()).isEqualTo(1);

        enumerator.addSplitsBack(new ArrayList<>(toReader0), 0);
        SnapshotEnumState state = enumerator.snapshotState(2);
        assertThat(state.pendingSplits())
                .extracting(SnapshotSplit::splitId)
                .containsExactly("db.a_0", "db.a_2");
        assertThat(state.finishedSplitIds()).isEmpty();
        assertThat(state.collections().get(0).splitsFinished()).isZero();
        assertThat(state.assignedSplits()).containsOnlyKeys("db.a_1");

        // A late report of the failed attempt changes nothing: the split waits to be read again.
        enumerator.handleSourceEvent(0, new SplitsFinishedEvent(Map.of("db.a_2", "db.a")));
        assertThat(enumerator.snapshotState(3)).isEqualTo(state);
        enumerator.handleSplitRequest(0, null);
        enumerator.handleSplitRequest(0, null);
        assertThat(assigned(context, 0)).containsExactly("db.a_0", "db.a_2", "db.a_0", "db.a_2");
    }

    @Test
    void splitsFromAFailedReaderGoBackFirst() {
        TestingSplitEnumeratorContext<SnapshotSplit> context = contextWithReaders(2);
        SnapshotEnumerator enumerator = startedOnThreeSplits(context);
        enumerator.handleSplitRequest(0, null);
        SnapshotSplit first = context.getSplitAssignments().get(0).getAssignedSplits().get(0);
        SnapshotSplit progressed = first.withProgress(new BsonInt32(4), new BsonInt32(6));

        enumerator.addSplitsBack(List.of(progressed), 0);
        assertThat(enumerator.snapshotState(2).pendingSplits()).first().isEqualTo(progressed);
        enumerator.handleSplitRequest(1, null);
        assertThat(context.getSplitAssignments().get(1).getAssignedSplits())
                .containsExactly(progressed);
    }

    @Test
    void finishedEventsAreCountedOnceAndSurviveRestoreWithoutPreparingAgain() {
        catalog.add("db.a", 20).add("db.b", 5);
        TestingSplitEnumeratorContext<SnapshotSplit> context = contextWithReaders(1);
        SnapshotSourceOptions options = options(".*", 10);
        SnapshotEnumerator enumerator = started(context, options, SnapshotEnumState.initial());
        enumerator.handleSplitRequest(0, null);
        enumerator.handleSourceEvent(0, new SplitsFinishedEvent(Map.of("db.a_0", "db.a")));
        enumerator.handleSourceEvent(0, new SplitsFinishedEvent(Map.of("db.a_0", "db.a")));

        SnapshotEnumState state = enumerator.snapshotState(1);
        enumerator.handleSourceEvent(0, new SplitsFinishedEvent(Map.of("db.a_1", "db.a")));
        assertThat(state.finishedSplitIds()).as("a snapshot is a copy").containsExactly("db.a_0");
        assertThat(state.collections().get(0).splitsFinished()).isEqualTo(1);
        assertThat(state.pendingSplits())
                .extracting(SnapshotSplit::splitId)
                .containsExactly("db.a_1", "db.b_0");
        assertThat(state.assignedSplits()).isEmpty();
        enumerator.close();

        prepared.clear();
        TestingSplitEnumeratorContext<SnapshotSplit> context2 = contextWithReaders(1);
        SnapshotEnumerator restored = started(context2, options, state);
        assertThat(prepared).isEmpty();
        assertThat(restored.snapshotState(2)).isEqualTo(state);
        restored.handleSplitRequest(0, null);
        restored.handleSplitRequest(0, null);
        restored.handleSplitRequest(0, null);
        assertThat(assigned(context2, 0)).containsExactly("db.a_1", "db.b_0");
        assertThat(context2.getSplitAssignments().get(0).hasReceivedNoMoreSplitsSignal()).isTrue();
        restored.handleSourceEvent(
                0, new SplitsFinishedEvent(Map.of("db.a_1", "db.a", "db.b_0", "db.b")));
        assertThat(restored.snapshotState(3).collections()).allMatch(CollectionProgress::finished);
    }

    @Test
    void aResumeWithAnotherSelectionForgetsWhatIsLeftOutAndSnapshotsWhatIsAdded() {
        catalog.add("db.a", 20).add("db.b", 20).add("db.c", 5);
        TestingSplitEnumeratorContext<SnapshotSplit> context = contextWithReaders(1);
        SnapshotEnumerator enumerator =
                started(context, options("a|b", 10), SnapshotEnumState.initial());
        enumerator.handleSplitRequest(0, null);
        SnapshotEnumState state = enumerator.snapshotState(1);
        enumerator.close();
        assertThat(state.assignedSplits()).containsOnlyKeys("db.a_0");
        assertThat(state.pendingSplits())
                .extracting(SnapshotSplit::splitId)
                .containsExactly("db.a_1", "db.b_0", "db.b_1");

        TestingSplitEnumeratorContext<SnapshotSplit> context2 = contextWithReaders(1);
        SnapshotEnumerator restored = started(context2, options("a|c", 10), state);
        SnapshotEnumState resumed = restored.snapshotState(2);
        assertThat(resumed.collections())
                .extracting(CollectionProgress::namespace)
                .containsExactly("db.a", "db.c");
        assertThat(resumed.pendingSplits())
                .extracting(SnapshotSplit::splitId)
                .containsExactly("db.a_1", "db.c_0");
        assertThat(resumed.assignedSplits())
                .as("the split of a a reader holds is kept")
                .containsOnlyKeys("db.a_0");
    }

    @Test
    void splitsFinishedJustBeforeTheCheckpointAreSettledFromTheReadersReports() {
        catalog.add("db.a", 40);
        TestingSplitEnumeratorContext<SnapshotSplit> context = contextWithReaders(2);
        SnapshotSourceOptions options = options("a", 10);
        SnapshotEnumerator enumerator = started(context, options, SnapshotEnumState.initial());
        enumerator.handleSplitRequest(0, null);
        enumerator.handleSplitRequest(1, null);
        SnapshotEnumState state = enumerator.snapshotState(1);
        assertThat(state.assignedSplits()).containsOnlyKeys("db.a_0", "db.a_1");
        // Reader 0 then finishes db.a_0, but its event arrives after the enumerator's checkpoint:
        // lost.

        TestingSplitEnumeratorContext<SnapshotSplit> context2 = contextWithReaders(2);
        SnapshotEnumerator restored = started(context2, options, state);
        restored.handleSourceEvent(1, new SplitsHeldEvent(List.of("db.a_1")));
        assertThat(restored.snapshotState(2).finishedSplitIds())
                .as("reader 0 has not reported")
                .isEmpty();
        restored.handleSourceEvent(0, new SplitsHeldEvent(List.of()));
        SnapshotEnumState settled = restored.snapshotState(3);
        assertThat(settled.finishedSplitIds()).containsExactly("db.a_0");
        assertThat(settled.assignedSplits()).containsOnlyKeys("db.a_1");
        assertThat(settled.collections().get(0).splitsFinished()).isEqualTo(1);

        // later reports (a reader restarted on its own) change nothing
        restored.handleSourceEvent(0, new SplitsHeldEvent(List.of()));
        assertThat(restored.snapshotState(4)).isEqualTo(settled);
    }

    @Test
    void interruptedPartitioningContinuesFromItsPosition() {
        catalog.add("db.a", 50);
        // Checkpointed while partitioning: splits a_0, a_1 ([open,10), [10,20)) produced, next
        // lower is 20.
        Map<TypeBracket, BsonValue> lowers = new EnumMap<>(TypeBracket.class);
        lowers.put(TypeBracket.NUMBER, new BsonInt32(20));
        SnapshotEnumState state =
                new SnapshotEnumState(
                        true,
                        List.of(SnapshotEnumStateSerializerTest.partitioning("db.a", lowers, 2)),
                        List.of(
                                SnapshotSplit.unread(
                                        "db",
                                        "a",
                                        1,
                                        TypeBracket.NUMBER,
                                        new BsonInt32(10),
                                        new BsonInt32(20))),
                        Map.of(),
                        List.of());
        TestingSplitEnumeratorContext<SnapshotSplit> context = contextWithReaders(1);
        SnapshotEnumerator enumerator = started(context, options("a", 10), state);

        assertThat(prepared).isEmpty();
        assertThat(catalog.scans.get("db.a")).containsExactly(new CountScanPosition(lowers));
        SnapshotEnumState after = enumerator.snapshotState(1);
        assertThat(after.pendingSplits())
                .extracting(SnapshotSplit::splitId, SnapshotSplit::lower, SnapshotSplit::upper)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "db.a_1", new BsonInt32(10), new BsonInt32(20)),
                        org.assertj.core.groups.Tuple.tuple(
                                "db.a_2", new BsonInt32(20), new BsonInt32(30)),
                        org.assertj.core.groups.Tuple.tuple(
                                "db.a_3", new BsonInt32(30), new BsonInt32(40)),
                        org.assertj.core.groups.Tuple.tuple("db.a_4", new BsonInt32(40), null));
        assertThat(after.collections().get(0).splitsTotal()).isEqualTo(5);
        assertThat(after.collections().get(0).phase()).isEqualTo(CollectionPhase.DONE);
    }

    @Test
    void aResumeWithOtherPartitionOptionsKeepsCutSplitsAndRefusesAStrategySwitchHalfway() {
        catalog.add("db.a", 20).add("db.b", 50).add("db.c", 5);
        Map<TypeBracket, BsonValue> lowers = new EnumMap<>(TypeBracket.class);
        lowers.put(TypeBracket.NUMBER, new BsonInt32(20));
        List<CollectionProgress> progress =
                List.of(
                        new CollectionProgress(
                                "db.a", CollectionPhase.DONE, true, CountScanPosition.START, 2, 2),
                        SnapshotEnumStateSerializerTest.partitioning("db.b", lowers, 2),
                        SnapshotEnumStateSerializerTest.preparedNotStarted("db.c"));
        SnapshotEnumState state =
                new SnapshotEnumState(
                        true,
                        progress,
                        List.of(),
                        Map.of(),
                        List.of("db.a_0", "db.a_1"),
                        new PartitionSettings(PartitionStrategy.COUNT, 10, 100),
                        "m1");

        // Another size: honoured from where partitioning stands.
        TestingSplitEnumeratorContext<SnapshotSplit> context = contextWithReaders(1);
        SnapshotEnumerator resized = started(context, options(".*", 15), state);
        assertThat(resized.snapshotState(1).partitionSettings())
                .isEqualTo(new PartitionSettings(PartitionStrategy.COUNT, 15, 100));
        assertThat(catalog.scans.get("db.b")).containsExactly(new CountScanPosition(lowers));

        // Another strategy while b is being partitioned: refused before anything is read or
        // written.
        SnapshotSourceOptions minMax =
                builder()
                        .collectionRegex(".*")
                        .partitionStrategy(PartitionStrategy.MIN_MAX)
                        .build()
                        .options();
        SnapshotEnumerator switched = enumerator(contextWithReaders(1), minMax, state);
        assertThatThrownBy(switched::start)
                .isInstanceOf(io.mongoresume.connectors.common.UnrecoverableException.class)
                .hasMessageContaining("partitioning [db.b] with snapshot.partition.strategy=count")
                .hasMessageContaining("Resume with snapshot.partition.strategy=count");
    }

    @Test
    void aContinuousSnapshotNeverEndsAnnouncesFinishedCollectionsAndTakesCollectionsThatAppear() {
        catalog.add("db.a", 20).add("db.b", 0);
        TestingSplitEnumeratorContext<SnapshotSplit> context = contextWithReaders(2);
        SnapshotEnumerator enumerator = startedContinuous(context);
        assertThat(events(context, 0))
                .as("the empty collection is done at once")
                .containsExactly(done("db.b"));

        enumerator.handleSplitRequest(0, null);
        enumerator.handleSplitRequest(1, null);
        enumerator.handleSourceEvent(0, new SplitsFinishedEvent(Map.of("db.a_0", "db.a")));
        assertThat(events(context, 1)).containsExactly(done("db.b"));
        enumerator.handleSourceEvent(1, new SplitsFinishedEvent(Map.of("db.a_1", "db.a")));
        assertThat(events(context, 0)).containsExactly(done("db.b"), done("db.a"));
        assertThat(events(context, 1)).containsExactly(done("db.b"), done("db.a"));
        enumerator.handleSplitRequest(0, null);
        assertThat(context.getSplitAssignments().get(0).hasReceivedNoMoreSplitsSignal())
                .as("it stays open for collections that appear")
                .isFalse();

        // c appears (created, renamed into the selection ...): its own snapshot, kept, never
        // cleared.
        catalog.add("db.c", 5);
        context.getExecutorService().triggerPeriodicScheduledTasks();
        context.triggerAllActions();
        assertThat(preparedKeeping).containsExactly("db.c");
        assertThat(assigned(context, 0)).containsExactly("db.a_0", "db.c_0");
        enumerator.handleSourceEvent(0, new SplitsFinishedEvent(Map.of("db.c_0", "db.c")));
        assertThat(events(context, 1)).containsExactly(done("db.b"), done("db.a"), done("db.c"));
    }

    @Test
    void aRestartedReaderHearsOnlyOfCollectionsItHoldsNoSplitOf() {
        // The tasks failed over without the enumerator: reader 1 restarted from a checkpoint in
        // which it
        // still held a_1, which it had reported finished since.
        catalog.add("db.a", 20).add("db.b", 5);
        TestingSplitEnumeratorContext<SnapshotSplit> context = contextWithReaders(2);
        SnapshotEnumerator enumerator = startedContinuous(context);
        enumerator.handleSplitRequest(0, null);
        enumerator.handleSplitRequest(1, null);
        enumerator.handleSplitRequest(0, null);
        enumerator.handleSourceEvent(
                0, new SplitsFinishedEvent(Map.of("db.a_0", "db.a", "db.b_0", "db.b")));
        enumerator.handleSourceEvent(1, new SplitsFinishedEvent(Map.of("db.a_1", "db.a")));
        assertThat(events(context, 1)).contains(done("db.a"));

        enumerator.handleSourceEvent(1, new SplitsHeldEvent(List.of("db.a_1")));
        assertThat(enumerator.snapshotState(1).assignedSplits()).containsOnlyKeys("db.a_1");
        assertThat(events(context, 1)).last().isEqualTo(new CollectionsDoneEvent(List.of("db.b")));
        enumerator.handleSourceEvent(0, new SplitsHeldEvent(List.of()));
        assertThat(events(context, 0)).last().isEqualTo(new CollectionsDoneEvent(List.of("db.b")));

        enumerator.handleSourceEvent(1, new SplitsFinishedEvent(Map.of("db.a_1", "db.a")));
        assertThat(events(context, 0)).last().isEqualTo(done("db.a"));
        assertThat(events(context, 1)).last().isEqualTo(done("db.a"));
    }

    @Test
    void aSelectionAcrossDatabasesSnapshotsTheCollectionsOfEachAndFindsThoseOfNewDatabases() {
        catalog.add("shop.orders", 15)
                .add("shop.system.views", 1)
                .add("crm.orders", 5)
                .add("crm.users", 5);
        TestingSplitEnumeratorContext<SnapshotSplit> context = contextWithReaders(1);
        SnapshotSourceOptions options =
                anySelection()
                        .selection(
                                CollectionSelection.namespaces(
                                        List.of(NamespacePattern.parse("*.orders", "test")),
                                        List.of()))
                        .partitionSize(10)
                        .continuous(
                                new io.mongoresume.connectors.snapshot.reader.MarkerRouting(1, 128),
                                1000)
                        .build()
                        .options();
        SnapshotEnumerator enumerator = started(context, options, SnapshotEnumState.initial());

        assertThat(claimed)
                .as("claimed per source database")
                .containsExactly("fresh-id:crm:[orders]", "fresh-id:shop:[orders]");
        assertThat(prepared).containsExactly("crm.orders", "shop.orders");
        assertThat(completed).containsExactly("fresh-id:crm:[orders]", "fresh-id:shop:[orders]");
        enumerator.handleSplitRequest(0, null);
        enumerator.handleSplitRequest(0, null);
        enumerator.handleSplitRequest(0, null);
        assertThat(assigned(context, 0))
                .containsExactly("crm.orders_0", "shop.orders_0", "shop.orders_1");
        assertThat(context.getSplitAssignments().get(0).getAssignedSplits())
                .extracting(SnapshotSplit::database, SnapshotSplit::collection)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("crm", "orders"),
                        org.assertj.core.groups.Tuple.tuple("shop", "orders"),
                        org.assertj.core.groups.Tuple.tuple("shop", "orders"));
        SnapshotEnumState state = enumerator.snapshotState(1);
        assertThat(state.collections())
                .extracting(CollectionProgress::namespace)
                .containsExactly("crm.orders", "shop.orders");
        assertThat(state.assignedSplits())
                .containsExactly(
                        Map.entry("crm.orders_0", "crm.orders"),
                        Map.entry("shop.orders_0", "shop.orders"),
                        Map.entry("shop.orders_1", "shop.orders"));

        enumerator.handleSourceEvent(
                0, new SplitsFinishedEvent(Map.of("crm.orders_0", "crm.orders")));
        assertThat(events(context, 0)).containsExactly(done("crm.orders"));

        // A database appears with a selected collection: kept (its change stream may have
        // written), never cleared, and recorded as prepared.
        catalog.add("eu.orders", 5).add("eu.users", 5);
        context.getExecutorService().triggerPeriodicScheduledTasks();
        context.triggerAllActions();
        assertThat(preparedKeeping).containsExactly("eu.orders");
        assertThat(prepared).containsExactly("crm.orders", "shop.orders");
        assertThat(completed).last().isEqualTo("fresh-id:eu:[orders]");
        enumerator.handleSplitRequest(0, null);
        assertThat(assigned(context, 0)).last().isEqualTo("eu.orders_0");
        enumerator.handleSourceEvent(
                0, new SplitsFinishedEvent(Map.of("eu.orders_0", "eu.orders")));
        assertThat(events(context, 0)).containsExactly(done("crm.orders"), done("eu.orders"));
        SnapshotEnumState later = enumerator.snapshotState(2);
        enumerator.close();

        // Resumed with a selection that leaves out one database: its collection is forgotten.
        TestingSplitEnumeratorContext<SnapshotSplit> context2 = contextWithReaders(1);
        SnapshotSourceOptions narrowed =
                anySelection()
                        .selection(
                                CollectionSelection.namespaces(
                                        List.of(NamespacePattern.parse("*.orders", "test")),
                                        List.of(NamespacePattern.parse("shop.*", "test"))))
                        .partitionSize(10)
                        .build()
                        .options();
        SnapshotEnumerator restored = started(context2, narrowed, later);
        SnapshotEnumState resumed = restored.snapshotState(3);
        assertThat(resumed.collections())
                .extracting(CollectionProgress::namespace)
                .containsExactly("crm.orders", "eu.orders");
        assertThat(resumed.assignedSplits()).isEmpty();
        assertThat(resumed.finishedSplitIds()).containsExactly("crm.orders_0", "eu.orders_0");
    }

    private static CollectionsDoneEvent done(String collection) {
        return new CollectionsDoneEvent(List.of(collection));
    }

    private static List<org.apache.flink.api.connector.source.SourceEvent> events(
            TestingSplitEnumeratorContext<SnapshotSplit> context, int reader) {
        return context.getSentEvents().getOrDefault(reader, List.of());
    }

    /** Started fresh as a continuous snapshot of the collections named by one letter. */
    private SnapshotEnumerator startedContinuous(
            TestingSplitEnumeratorContext<SnapshotSplit> context) {
        SnapshotSourceOptions options =
                builder()
                        .collectionRegex("[a-z]")
                        .partitionSize(10)
                        .continuous(
                                new io.mongoresume.connectors.snapshot.reader.MarkerRouting(2, 128),
                                1000)
                        .build()
                        .options();
        return started(context, options, SnapshotEnumState.initial());
    }

    @Test
    void collectionSelectionErrorsNameWhatExists() {
        List<String> existing = List.of("users", "orders", "system.profile");
        assertThat(options("users|orders", 1).selection().resolve(existing))
                .containsExactly("orders", "users");
        assertThat(options(".*", 1).selection().resolve(existing))
                .containsExactly("orders", "users");
        assertThatThrownBy(() -> options("ord", 1).selection().resolve(existing))
                .hasMessageContaining(
                        "source.collection-regex 'ord' matches no collection of database 'db'")
                .hasMessageContaining("It has: orders, users");
        SnapshotSourceOptions explicit =
                builder().collections(List.of("users", "nope", "gone")).build().options();
        assertThatThrownBy(() -> explicit.selection().resolve(existing))
                .hasMessageContaining(
                        "source.collections names collections that database 'db' does not have: [gone, nope]")
                .hasMessageContaining("It has: orders, users");
    }

    private static List<String> assigned(
            TestingSplitEnumeratorContext<SnapshotSplit> context, int reader) {
        TestingSplitEnumeratorContext.SplitAssignmentState<SnapshotSplit> state =
                context.getSplitAssignments().get(reader);
        List<String> ids = new ArrayList<>();
        if (state != null) {
            state.getAssignedSplits().forEach(s -> ids.add(s.splitId()));
        }
        return ids;
    }

    private static TestingSplitEnumeratorContext<SnapshotSplit> contextWithReaders(int readers) {
        TestingSplitEnumeratorContext<SnapshotSplit> context =
                new TestingSplitEnumeratorContext<>(readers);
        for (int i = 0; i < readers; i++) {
            context.registerReader(i, "localhost");
        }
        return context;
    }

    private SnapshotEnumerator enumerator(
            TestingSplitEnumeratorContext<SnapshotSplit> context,
            SnapshotSourceOptions options,
            SnapshotEnumState state) {
        return new SnapshotEnumerator(context, options, state, () -> catalog);
    }

    /** An enumerator on {@code context} that has started and run what its start scheduled. */
    private SnapshotEnumerator started(
            TestingSplitEnumeratorContext<SnapshotSplit> context,
            SnapshotSourceOptions options,
            SnapshotEnumState state) {
        SnapshotEnumerator enumerator = enumerator(context, options, state);
        enumerator.start();
        context.triggerAllActions();
        return enumerator;
    }

    /** Started fresh on collection a alone, whose 30 ids make the splits a_0, a_1 and a_2. */
    private SnapshotEnumerator startedOnThreeSplits(
            TestingSplitEnumeratorContext<SnapshotSplit> context) {
        catalog.add("db.a", 30);
        return started(context, options("a", 10), SnapshotEnumState.initial());
    }

    private SnapshotSourceOptions options(String regex, long partitionSize) {
        return builder().collectionRegex(regex).partitionSize(partitionSize).build().options();
    }

    private boolean alreadyComplete;

    private MongoSnapshotSourceBuilder builder() {
        return anySelection().database("db");
    }

    /** Every option but the selection. */
    private MongoSnapshotSourceBuilder anySelection() {
        RecordingPreparer preparer = new RecordingPreparer();
        return MongoSnapshotSource.builder()
                .connection(MongoConnectionOptions.of("mongodb://localhost:1", 1000))
                .partitionStrategy(PartitionStrategy.COUNT)
                .migrationId("fresh-id")
                .collectionPreparer(preparer);
    }

    /** Records what the enumerator asks of the target. */
    private final class RecordingPreparer implements CollectionPreparer {
        private static final long serialVersionUID = 1L;

        @Override
        public void prepare(String database, String collection) {
            assertThat(catalog.scans)
                    .as("no collection is partitioned before all are prepared")
                    .isEmpty();
            prepared.add(database + "." + collection);
        }

        @Override
        public void prepareKeeping(String database, String collection) {
            preparedKeeping.add(database + "." + collection);
        }

        @Override
        public void claim(String migrationId, String database, List<String> collections) {
            claimed.add(migrationId + ":" + database + ":" + collections);
        }

        @Override
        public void complete(String migrationId, String database, List<String> collections) {
            completed.add(migrationId + ":" + database + ":" + collections);
        }

        @Override
        public boolean isComplete(String migrationId, String database) {
            return alreadyComplete
                    || completed.stream()
                            .anyMatch(c -> c.startsWith(migrationId + ":" + database + ":"));
        }
    }

    /** Records in which order the collections were scanned. */
    private static final class FakeCatalog extends IntIdCatalog {
        final List<String> scanOrderAfterPreparing = new ArrayList<>();

        @Override
        public IdSource idSource(String namespace) {
            scanOrderAfterPreparing.add(namespace);
            return super.idSource(namespace);
        }
    }
}
