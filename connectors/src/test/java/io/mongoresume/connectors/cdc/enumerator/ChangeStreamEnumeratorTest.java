package io.mongoresume.connectors.cdc.enumerator;

import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;

import com.mongodb.client.MongoDatabase;
import io.mongoresume.connectors.cdc.offset.StartPosition;
import io.mongoresume.connectors.cdc.split.ChangeStreamSplit;
import io.mongoresume.connectors.common.StartGate;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.common.selection.NamespacePattern;
import io.mongoresume.connectors.testutils.MongoServerExtension;
import io.mongoresume.connectors.testutils.MongoTestServer;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The enumerator against the embedded server, its async calls triggered by hand. */
class ChangeStreamEnumeratorTest {

    @RegisterExtension
    static final MongoServerExtension SERVER = new MongoServerExtension(MongoTestServer::embedded);

    private static MongoConnectionOptions connection;

    private String dbName;
    private MongoDatabase db;
    private TestingSplitEnumeratorContext<ChangeStreamSplit> context;

    @BeforeAll
    static void startServer() {
        connection = MongoConnectionOptions.of(SERVER.server().uri(), 5_000);
    }

    @BeforeEach
    void setUp() {
        dbName = MongoTestServer.freshDatabaseName("enum");
        db = SERVER.client().getDatabase(dbName);
        context = new TestingSplitEnumeratorContext<>(2);
        context.registerReader(0, "localhost");
        context.registerReader(1, "localhost");
    }

    @Test
    void oneSplitPerCollectionAtTheGivenPositionRoundRobin() throws Exception {
        BsonTimestamp start = new BsonTimestamp(1_700_000_000, 0);
        try (ChangeStreamEnumerator enumerator =
                enumerator(
                        List.of("a", "b", "c"),
                        null,
                        StartPosition.atOperationTime(start),
                        ChangeStreamEnumState.initial())) {
            enumerator.start();
            context.getExecutorService().triggerAllNonPeriodicTasks();

            assertThat(assigned(0))
                    .containsExactly(
                            new ChangeStreamSplit(dbName, "a", null, start),
                            new ChangeStreamSplit(dbName, "c", null, start));
            assertThat(assigned(1))
                    .containsExactly(new ChangeStreamSplit(dbName, "b", null, start));
            assertThat(context.getSplitAssignments().get(0).hasReceivedNoMoreSplitsSignal())
                    .isFalse();
            ChangeStreamEnumState state = enumerator.snapshotState(1);
            assertThat(state.initialized()).isTrue();
            assertThat(state.pendingSplits()).isEmpty();
            assertThat(state.knownNamespaces()).containsExactly(ns("a"), ns("b"), ns("c"));
        }
    }

    @Test
    void aJobStoppedBeforeItsStreamsBeganStartsThemWhereItsFirstStartWould() throws Exception {
        // Checkpointed while waiting for the target to be prepared: no split exists yet.
        BsonTimestamp first = new BsonTimestamp(1_700_000_000, 0);
        ChangeStreamEnumState state;
        try (ChangeStreamEnumerator waiting =
                enumerator(
                        List.of("a"),
                        null,
                        StartPosition.atOperationTime(first),
                        id -> false,
                        "first",
                        ChangeStreamEnumState.initial())) {
            state = waiting.snapshotState(1);
        }
        assertThat(state.initialized()).isFalse();
        assertThat(state.migrationId()).isEqualTo("first");
        assertThat(state.pendingStart()).isEqualTo(StartPosition.atOperationTime(first));
        ChangeStreamEnumState copy =
                ChangeStreamEnumStateSerializer.forHomeDatabase(dbName)
                        .deserialize(
                                ChangeStreamEnumStateSerializer.CURRENT_VERSION,
                                ChangeStreamEnumStateSerializer.forHomeDatabase(dbName)
                                        .serialize(state));
        assertThat(copy).isEqualTo(state);

        // Resumed: a new job graph brings a later position and a new id; both from the first start
        // win.
        List<String> askedFor = new java.util.concurrent.CopyOnWriteArrayList<>();
        StartGate gate =
                id -> {
                    askedFor.add(id);
                    return true;
                };
        BsonTimestamp later = new BsonTimestamp(1_700_000_600, 0);
        try (ChangeStreamEnumerator resumed =
                enumerator(
                        List.of("a"),
                        null,
                        StartPosition.atOperationTime(later),
                        gate,
                        "second",
                        copy)) {
            resumed.start();
            context.getExecutorService().triggerAllNonPeriodicTasks();
            assertThat(askedFor).containsOnly("first");
            assertThat(allAssigned())
                    .containsExactly(new ChangeStreamSplit(dbName, "a", null, first));
            assertThat(resumed.snapshotState(2).pendingStart())
                    .as("the splits hold it now")
                    .isNull();
        }
    }

    @Test
    void aNamespaceResolvedAtTheStartButGoneByTheListingStillGetsItsStream() throws Exception {
        // Listed at the first start: x1 only. The job had also resolved x0 (dropped since, before
        // the enumerator's listing) and an unselected namespace.
        db.getCollection("x1").insertOne(new Document("_id", 1));
        BsonTimestamp start = new BsonTimestamp(1_700_000_000, 0);
        try (ChangeStreamEnumerator enumerator =
                new ChangeStreamEnumerator(
                        context,
                        connection,
                        CollectionSelection.matching(dbName, "x.*"),
                        StartPosition.atOperationTime(start),
                        1000,
                        StartGate.OPEN,
                        "fresh",
                        List.of(ns("x0"), ns("y0")),
                        ChangeStreamEnumState.initial())) {
            enumerator.start();
            context.getExecutorService().triggerAllNonPeriodicTasks();

            assertThat(allAssigned())
                    .containsExactlyInAnyOrder(
                            new ChangeStreamSplit(dbName, "x0", null, start),
                            new ChangeStreamSplit(dbName, "x1", null, start));
        }
    }

    @Test
    void capturedPositionIsTakenOnFreshStartOnly() throws Exception {
        long before = System.currentTimeMillis() / 1000;
        try (ChangeStreamEnumerator enumerator =
                enumerator(
                        List.of("a"),
                        null,
                        StartPosition.capturedAtFirstStart(),
                        ChangeStreamEnumState.initial())) {
            enumerator.start();
            context.getExecutorService().triggerAllNonPeriodicTasks();
            BsonTimestamp captured = assigned(0).get(0).operationTime();
            // The embedded server has no cluster time: its clock minus the 5 s margin.
            assertThat((long) captured.getTime()).isBetween(before - 7, before - 4);
        }
        // Restored: the state decides, nothing is captured or created again.
        ChangeStreamEnumState restored =
                new ChangeStreamEnumState(true, List.of(), Set.of(ns("a")), null);
        context = new TestingSplitEnumeratorContext<>(1);
        context.registerReader(0, "localhost");
        try (ChangeStreamEnumerator enumerator =
                enumerator(List.of("a"), null, StartPosition.now(), restored)) {
            enumerator.start();
            context.getExecutorService().triggerAllNonPeriodicTasks();
            assertThat(context.getSplitAssignments()).isEmpty();
        }
    }

    @Test
    void discoveredCollectionStartsAtThePreviousPollTime() throws Exception {
        db.getCollection("x1").insertOne(new Document("_id", 1));
        db.getCollection("y1").insertOne(new Document("_id", 1));
        BsonDocument token = BsonDocument.parse("{_data: '01'}");
        try (ChangeStreamEnumerator enumerator =
                enumerator(
                        null,
                        "x.*",
                        StartPosition.resumeToken(token),
                        ChangeStreamEnumState.initial())) {
            enumerator.start();
            context.getExecutorService().triggerAllNonPeriodicTasks();
            assertThat(allAssigned())
                    .containsExactly(new ChangeStreamSplit(dbName, "x1", token, null));
            BsonTimestamp poll0 = enumerator.snapshotState(1).lastPollTime();
            assertThat(poll0).isNotNull();

            db.getCollection("x2").insertOne(new Document("_id", 1));
            db.getCollection("y2").insertOne(new Document("_id", 1));
            Thread.sleep(1100); // so the next poll's time differs
            context.getExecutorService().triggerPeriodicScheduledTasks();

            assertThat(allAssigned())
                    .containsExactlyInAnyOrder(
                            new ChangeStreamSplit(dbName, "x1", token, null),
                            new ChangeStreamSplit(dbName, "x2", null, poll0));
            ChangeStreamEnumState state = enumerator.snapshotState(2);
            assertThat(state.knownNamespaces()).containsExactly(ns("x1"), ns("x2"));
            assertThat(state.lastPollTime()).isGreaterThan(poll0);

            // Nothing new: nothing assigned.
            context.getExecutorService().triggerPeriodicScheduledTasks();
            assertThat(allAssigned()).hasSize(2);
        }
    }

    @Test
    void discoveryAcrossDatabasesFollowsACollectionOfADatabaseCreatedMidRun() throws Exception {
        // dbName is "enum_<id>": the selection is every x* collection of the databases
        // "enum_<id>_*", less one excluded collection.
        String one = dbName + "_one";
        String two = dbName + "_two";
        MongoDatabase first = SERVER.client().getDatabase(one);
        first.getCollection("x1").insertOne(new Document("_id", 1));
        first.getCollection("xskip").insertOne(new Document("_id", 1));
        first.getCollection("y1").insertOne(new Document("_id", 1));
        db.getCollection("x0").insertOne(new Document("_id", 1)); // enum_<id>: not matched
        CollectionSelection selection =
                CollectionSelection.namespaces(
                        List.of(NamespacePattern.parse(dbName + "_*.x*", "test")),
                        List.of(NamespacePattern.parse(one + ".xskip", "test")));
        BsonDocument token = BsonDocument.parse("{_data: '01'}");
        try (ChangeStreamEnumerator enumerator =
                enumerator(
                        selection,
                        StartPosition.resumeToken(token),
                        ChangeStreamEnumState.initial())) {
            enumerator.start();
            context.getExecutorService().triggerAllNonPeriodicTasks();
            assertThat(allAssigned())
                    .containsExactly(new ChangeStreamSplit(one, "x1", token, null));
            BsonTimestamp poll0 = enumerator.snapshotState(1).lastPollTime();
            assertThat(poll0).isNotNull();

            // A database that did not exist when the job started.
            MongoDatabase second = SERVER.client().getDatabase(two);
            second.getCollection("x2").insertOne(new Document("_id", 1));
            second.getCollection("y2").insertOne(new Document("_id", 1));
            Thread.sleep(1100); // so the next poll's time differs
            context.getExecutorService().triggerPeriodicScheduledTasks();

            assertThat(allAssigned())
                    .containsExactlyInAnyOrder(
                            new ChangeStreamSplit(one, "x1", token, null),
                            new ChangeStreamSplit(two, "x2", null, poll0));
            ChangeStreamEnumState state = enumerator.snapshotState(2);
            assertThat(state.knownNamespaces()).containsExactly(one + ".x1", two + ".x2");
            assertThat(state.lastPollTime()).isGreaterThan(poll0);
        }
    }

    @Test
    void aListAcrossDatabasesGetsOneSplitPerNamespaceAtACapturedStart() throws Exception {
        // Neither database exists: the capture must not need one.
        String one = dbName + "_one";
        String two = dbName + "_two";
        CollectionSelection selection =
                CollectionSelection.namespaces(
                        List.of(
                                NamespacePattern.parse(two + ".b", "test"),
                                NamespacePattern.parse(one + ".a", "test")),
                        List.of());
        long before = System.currentTimeMillis() / 1000;
        try (ChangeStreamEnumerator enumerator =
                enumerator(
                        selection,
                        StartPosition.capturedAtFirstStart(),
                        ChangeStreamEnumState.initial())) {
            enumerator.start();
            context.getExecutorService().triggerAllNonPeriodicTasks();
            List<ChangeStreamSplit> splits = allAssigned();
            assertThat(splits)
                    .extracting(ChangeStreamSplit::splitId)
                    .containsExactlyInAnyOrder(one + ".a", two + ".b");
            // The embedded server has no cluster time: its clock minus the 5 s margin.
            assertThat((long) splits.get(0).operationTime().getTime())
                    .isBetween(before - 7, before - 4);
            assertThat(splits.get(1).operationTime()).isEqualTo(splits.get(0).operationTime());
            assertThat(enumerator.snapshotState(1).knownNamespaces())
                    .containsExactly(one + ".a", two + ".b");
        }
    }

    @Test
    void aResumeAcrossDatabasesEndsTheNamespacesLeftOutAndStartsTheAdded() throws Exception {
        String one = dbName + "_one";
        String two = dbName + "_two";
        BsonTimestamp firstStart = new BsonTimestamp(1_600_000_000, 0);
        BsonTimestamp thisStart = new BsonTimestamp(1_700_000_000, 0);
        // The breakpoint knows one.a and one.b (b still pending); the job file now names one.a
        // and two.b: the same collection name in another database is another namespace.
        ChangeStreamSplit pendingB = new ChangeStreamSplit(one, "b", null, firstStart);
        ChangeStreamEnumState state =
                new ChangeStreamEnumState(
                        true, List.of(pendingB), Set.of(one + ".a", one + ".b"), firstStart);
        CollectionSelection selection =
                CollectionSelection.namespaces(
                        List.of(
                                NamespacePattern.parse(one + ".a", "test"),
                                NamespacePattern.parse(two + ".b", "test")),
                        List.of());
        try (ChangeStreamEnumerator enumerator =
                enumerator(selection, StartPosition.atOperationTime(thisStart), state)) {
            enumerator.start();
            context.getExecutorService().triggerAllNonPeriodicTasks();
            assertThat(allAssigned())
                    .containsExactly(new ChangeStreamSplit(two, "b", null, thisStart));
            assertThat(enumerator.snapshotState(1).knownNamespaces())
                    .containsExactly(one + ".a", two + ".b");
        }
    }

    @Test
    void aResumeWithAnotherListEndsTheStreamsLeftOutAndStartsTheAddedAtThisStartsPosition()
            throws Exception {
        BsonTimestamp firstStart = new BsonTimestamp(1_600_000_000, 0);
        BsonTimestamp thisStart = new BsonTimestamp(1_700_000_000, 0);
        ChangeStreamSplit pendingB = new ChangeStreamSplit(dbName, "b", null, firstStart);
        ChangeStreamEnumState state =
                new ChangeStreamEnumState(
                        true, List.of(pendingB), Set.of(ns("a"), ns("b")), firstStart);
        try (ChangeStreamEnumerator enumerator =
                enumerator(
                        List.of("a", "c", "d"),
                        null,
                        StartPosition.atOperationTime(thisStart),
                        state)) {
            enumerator.start();
            context.getExecutorService().triggerAllNonPeriodicTasks();

            assertThat(allAssigned())
                    .as("b left out: its pending split is dropped; c and d start at this start")
                    .containsExactlyInAnyOrder(
                            new ChangeStreamSplit(dbName, "c", null, thisStart),
                            new ChangeStreamSplit(dbName, "d", null, thisStart));
            assertThat(enumerator.snapshotState(1).knownNamespaces())
                    .containsExactly(ns("a"), ns("c"), ns("d"));
        }
    }

    @Test
    void restoredDiscoveryUsesTheRestoredPollTime() throws Exception {
        BsonTimestamp restoredPoll = new BsonTimestamp(1_700_000_000, 0);
        db.getCollection("x1").insertOne(new Document("_id", 1));
        db.getCollection("x9").insertOne(new Document("_id", 1));
        ChangeStreamEnumState state =
                new ChangeStreamEnumState(true, List.of(), Set.of(ns("x1")), restoredPoll);
        try (ChangeStreamEnumerator enumerator =
                enumerator(null, "x.*", StartPosition.now(), state)) {
            enumerator.start();
            context.getExecutorService().triggerAllNonPeriodicTasks();
            // Found at the restore already (created while the job was stopped), where a poll
            // would have started it; the next poll adds nothing.
            assertThat(allAssigned())
                    .containsExactly(new ChangeStreamSplit(dbName, "x9", null, restoredPoll));
            context.getExecutorService().triggerPeriodicScheduledTasks();
            assertThat(allAssigned())
                    .containsExactly(new ChangeStreamSplit(dbName, "x9", null, restoredPoll));
        }
    }

    @Test
    void splitsAddedBackWaitForTheirReader() throws Exception {
        ChangeStreamSplit split =
                new ChangeStreamSplit(dbName, "a", BsonDocument.parse("{_data: '02'}"), null);
        context = new TestingSplitEnumeratorContext<>(2);
        context.registerReader(0, "localhost");
        try (ChangeStreamEnumerator enumerator =
                enumerator(
                        List.of("a"),
                        null,
                        StartPosition.now(),
                        new ChangeStreamEnumState(true, List.of(), Set.of(ns("a")), null))) {
            enumerator.start();
            enumerator.addSplitsBack(List.of(split), 1);
            assertThat(allAssigned()).isEmpty();
            assertThat(enumerator.snapshotState(3).pendingSplits()).containsExactly(split);

            context.registerReader(1, "localhost");
            enumerator.addReader(1);
            assertThat(assigned(1)).containsExactly(split);
            assertThat(enumerator.snapshotState(4).pendingSplits()).isEmpty();
        }
    }

    /** {@code collection} of this test's database, as a namespace. */
    private String ns(String collection) {
        return CollectionSelection.namespace(dbName, collection);
    }

    private ChangeStreamEnumerator enumerator(
            CollectionSelection selection, StartPosition start, ChangeStreamEnumState state) {
        return new ChangeStreamEnumerator(
                context,
                connection,
                selection,
                start,
                1000,
                StartGate.OPEN,
                "fresh",
                List.of(),
                state);
    }

    private ChangeStreamEnumerator enumerator(
            List<String> collections,
            String regex,
            StartPosition start,
            ChangeStreamEnumState state) {
        return enumerator(collections, regex, start, StartGate.OPEN, "fresh", state);
    }

    private ChangeStreamEnumerator enumerator(
            List<String> collections,
            String regex,
            StartPosition start,
            StartGate gate,
            String freshMigrationId,
            ChangeStreamEnumState state) {
        CollectionSelection selection =
                collections != null
                        ? CollectionSelection.of(dbName, collections)
                        : CollectionSelection.matching(dbName, regex);
        return new ChangeStreamEnumerator(
                context,
                connection,
                selection,
                start,
                1000,
                gate,
                freshMigrationId,
                List.of(),
                state);
    }

    private List<ChangeStreamSplit> assigned(int reader) {
        TestingSplitEnumeratorContext.SplitAssignmentState<ChangeStreamSplit> state =
                context.getSplitAssignments().get(reader);
        return state == null ? List.of() : state.getAssignedSplits();
    }

    private List<ChangeStreamSplit> allAssigned() {
        List<ChangeStreamSplit> all = new ArrayList<>();
        context.getSplitAssignments().values().forEach(s -> all.addAll(s.getAssignedSplits()));
        return all;
    }
}
