package io.mongoresume.job.faults;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import io.mongoresume.connectors.common.UnrecoverableException;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.testutils.DelayingProxy;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.job.demo.SampleDataSeeder;
import io.mongoresume.job.demo.SeedPlan;
import io.mongoresume.job.faults.MatrixRun.Mode;
import io.mongoresume.job.faults.MatrixRun.Phase;
import io.mongoresume.job.server.EmbeddedMongoServer;
import io.mongoresume.job.testutils.CollectionDiff;
import io.mongoresume.job.testutils.ServerPair;
import io.mongoresume.job.testutils.TestData;
import io.mongoresume.job.testutils.TestJobs;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import javax.annotation.Nullable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault matrix: stopped or broken anywhere, the job makes the target equal to the source or
 * fails loudly with the cause; it never ends done (FINISHED, or caught up in CDC) with a
 * difference.
 *
 * <p>Each fault is injected in each phase of a {@code full} and a {@code full+incremental} job.
 * Faults that Flink recovers from take all their phases in one job, compared once at its end; a
 * write that fails the job is a short job per cell. Phases are recognised by the job's state
 * ({@link MatrixRun.Phase}): before the first completed checkpoint = documents at the target and
 * {@code numberOfCompletedCheckpoints} 0 (the test triggers the job's checkpoints, none before);
 * mid-snapshot = a checkpoint completed, a third of the documents written, the snapshot not
 * finished; at the end of the snapshot = the moment the enumerator's {@code collectionsFinished}
 * reaches the number of collections; mid-CDC = the snapshot finished, a checkpoint after it, the
 * workload running. {@code full} has no mid-CDC phase: it has no change streams.
 *
 * <table border="1">
 *   <caption>Cells, their tests and what they assert</caption>
 *   <tr><th>Fault</th><th>Phases</th><th>full</th><th>full+incremental</th><th>Asserted</th></tr>
 *   <tr>
 *     <td>TaskManager kill</td>
 *     <td>before the first checkpoint, mid-snapshot, end of the snapshot, mid-CDC (full+incremental)</td>
 *     <td>{@link #taskManagerKilledInEveryPhase}[full]</td>
 *     <td>{@link #taskManagerKilledInEveryPhase}[full+incremental]</td>
 *     <td rowspan="3">After each fault a task failed and the job restarted (from scratch before the first
 *       checkpoint, else from the last completed one) with every task running again; at the end the job is
 *       FINISHED (full) or, once the workload stopped, running and caught up (full+incremental), never FAILED,
 *       and every collection equals the source document by document ({@link CollectionDiff}).</td>
 *   </tr>
 *   <tr>
 *     <td>target stall, 3 s (longer than the writer's (1 s + 0.2 s) + 1 s of retries)</td>
 *     <td>the same</td>
 *     <td>{@link #targetStalledLongerThanTheWritersRetriesInEveryPhase}[full]</td>
 *     <td>{@link #targetStalledLongerThanTheWritersRetriesInEveryPhase}[full+incremental]</td>
 *   </tr>
 *   <tr>
 *     <td>target restart with its data (H2 backend on a fixed port and file, down 3 s)</td>
 *     <td>the same</td>
 *     <td>{@link #targetRestartedWithItsDataInEveryPhase}[full]</td>
 *     <td>{@link #targetRestartedWithItsDataInEveryPhase}[full+incremental]</td>
 *   </tr>
 *   <tr>
 *     <td>non-retryable write error, {@code target.on-write-error=fail}: a unique index on the target that
 *       one account violates</td>
 *     <td>one job per phase: the refused account is the second, the 301st of 400 (the index is created once a
 *       checkpoint completed), the last, or one inserted mid-CDC</td>
 *     <td>{@link #aWriteTheTargetRefusesFailsTheJobAtOnce}[full, phase] for the three snapshot phases</td>
 *     <td>{@link #aWriteTheTargetRefusesFailsTheJobAtOnce}[full+incremental, phase] for all four</td>
 *     <td>The job FAILED at once (no restart, a restart strategy allowing 60); its cause is an {@link
 *       UnrecoverableException} naming the source and target collection, the _id and error 11000; the target
 *       holds source documents only and not the refused one. Before the first checkpoint: none completed.
 *       Mid-snapshot: one completed, and nothing after the refused write's bulk was written. At the end of the
 *       snapshot and mid-CDC: everything else was written.</td>
 *   </tr>
 *   <tr>
 *     <td>non-retryable write errors, {@code target.on-write-error=skip-and-log}</td>
 *     <td>one job: accounts refused before the first checkpoint, mid-snapshot (after one), at the snapshot's
 *       end and (full+incremental) an insert and an update mid-CDC</td>
 *     <td>{@link #writesTheTargetRefusesAreDeadLetteredInEveryPhaseAndTheRestIsCopied}[full]</td>
 *     <td>{@link #writesTheTargetRefusesAreDeadLetteredInEveryPhaseAndTheRestIsCopied}[full+incremental]</td>
 *     <td>The job goes on (no restart; FINISHED, or running); the target equals the source except exactly the
 *       dead-lettered documents (missing, or the refused update's document as it was before), each recorded
 *       in {@code __mongo_resume_dead_letters} under its namespace and _id with code 11000, the message and
 *       the source's document; {@code writesDeadLettered} counts them.</td>
 *   </tr>
 * </table>
 *
 * <p>The runs are small and slowed where a phase needs time (one snapshot reader behind a {@link
 * DelayingProxy} with small cursor batches) rather than large: the whole class takes about two and
 * a half minutes on two cores.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FaultMatrixITCase {

    private static final SeedPlan PLAN = SeedPlan.of(11L, 300, 1500, 300);
    private static final List<String> SAMPLE_COLLECTIONS = TestData.SAMPLE_COLLECTIONS;

    private static final String ACCOUNTS = "accounts";
    private static final int ACCOUNT_COUNT = 400;
    private static final String DEAD_LETTERS = "__mongo_resume_dead_letters";

    /**
     * The account the target refuses, per phase: the second, one past the middle, the last, a new
     * one.
     */
    private static final Map<Phase, Integer> REFUSED_ACCOUNT =
            Map.of(
                    Phase.BEFORE_FIRST_CHECKPOINT,
                    1,
                    Phase.MID_SNAPSHOT,
                    300,
                    Phase.END_OF_SNAPSHOT,
                    ACCOUNT_COUNT - 1,
                    Phase.MID_CDC,
                    ACCOUNT_COUNT);

    /** The H2 backend inserts ~2k documents/s: less data for the target that restarts. */
    private static final SeedPlan H2_PLAN = SeedPlan.of(13L, 100, 500, 100);

    /**
     * The workload of the restarting target's run: the H2 backend (mongo-java-server 1.47.0) loses
     * the _id lookup of a document whose _id is a document and which was deleted and inserted
     * again, across a restart: {@code find({_id: {n: 4}})} then matches nothing while the unique
     * _id index still holds the key, so every later upsert of it fails with E11000 on {@code _id_},
     * which the job reports as a write the target refuses for good. The workload deletes and
     * re-inserts document _ids in {@code events} and in the mixed-id collections; those are copied
     * and compared all the same, but changed only by the snapshot.
     */
    private static final List<String> H2_WORKLOAD_COLLECTIONS =
            List.of(SampleDataSeeder.CUSTOMERS, SampleDataSeeder.ORDERS);

    /** Longer than the writer's retries: (1 s timeout + 200 ms back-off) + 1 s. */
    private static final Duration STALL = Duration.ofMillis(3_000);

    private static final Duration TARGET_DOWN = Duration.ofMillis(3_000);

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    /**
     * Two TaskManagers of one slot each: a job of two writers has tasks on both, so any kill hits
     * it.
     */
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestJobs.miniCluster(REPORTER, 2, 1);

    @RegisterExtension static final ServerPair SERVERS = new ServerPair();

    /**
     * The MiniCluster keeps terminated TaskManagers in its list: the oldest live one has this
     * index.
     */
    private static int oldestTaskManager;

    @TempDir Path stateDir;

    private ClusterClient<?> client;
    private MiniCluster miniCluster;

    @BeforeEach
    void cluster(
            @InjectClusterClient ClusterClient<?> client,
            @InjectMiniCluster MiniCluster miniCluster) {
        this.client = client;
        this.miniCluster = miniCluster;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void taskManagerKilledInEveryPhase(Mode mode) throws Exception {
        Fault kill =
                Fault.of(
                        "a TaskManager kill",
                        () -> miniCluster.terminateTaskManager(oldestTaskManager++).get(),
                        Duration.ZERO,
                        miniCluster::startTaskManager);
        injectInEveryPhase(sampleRun("kill", mode), mode, kill);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void targetStalledLongerThanTheWritersRetriesInEveryPhase(Mode mode) throws Exception {
        try (DelayingProxy proxy = DelayingProxy.inFrontOf(SERVERS.targetUri())) {
            // A little slower than the source, so that writes are under way in every phase.
            proxy.setReplyDelayMillis(5);
            Fault stall =
                    Fault.of(
                            "a target stall of " + STALL.toMillis() + " ms",
                            proxy::freeze,
                            STALL,
                            proxy::thaw);
            MatrixRun.Builder builder = sampleRun("stall", mode);
            builder.target(proxy.uri(), SERVERS.targetClient(), builder.targetDatabase());
            injectInEveryPhase(builder, mode, stall);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void targetRestartedWithItsDataInEveryPhase(Mode mode) throws Exception {
        RestartableTarget target = new RestartableTarget(stateDir.resolve("target.mv"));
        try (target;
                MongoClient targetClient =
                        MongoConnectionOptions.of(target.uri(), 5_000).createClient()) {
            Fault restart =
                    Fault.of(
                            "a target restart (down for " + TARGET_DOWN.toMillis() + " ms)",
                            target::stop,
                            TARGET_DOWN,
                            target::start);
            MatrixRun.Builder builder = freshRun("restart", mode);
            SampleDataSeeder.seed(builder.sourceDatabase(), H2_PLAN);
            builder.target(target.uri(), targetClient, builder.targetDatabase())
                    .collections(SAMPLE_COLLECTIONS)
                    // Read faster than the H2 backend writes once past mid-snapshot: writes are
                    // in flight when the snapshot ends.
                    .snapshotPace(40, 0)
                    // Not on the collections with document _ids: see H2_WORKLOAD_COLLECTIONS.
                    .workload(mode.hasChangeStreams() ? 40 : 0, H2_WORKLOAD_COLLECTIONS);
            injectInEveryPhase(builder, mode, restart);
        }
    }

    static Stream<Arguments> refusedWriteCells() {
        return Stream.of(Mode.values())
                .flatMap(mode -> mode.phases().stream().map(phase -> Arguments.of(mode, phase)));
    }

    /**
     * A unique index on the target that one account violates (a second account with the same
     * email): the refused write fails the job at once (target.on-write-error=fail, the default),
     * without a restart, naming the collection and the _id. What was written before is exactly the
     * source's.
     */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("refusedWriteCells")
    void aWriteTheTargetRefusesFailsTheJobAtOnce(Mode mode, Phase phase) throws Exception {
        int refused = REFUSED_ACCOUNT.get(phase);
        // Mid-CDC the refused account is inserted at the source once the snapshot is over.
        Map<Integer, Integer> twins = phase == Phase.MID_CDC ? Map.of() : Map.of(refused, 0);
        // Mid-snapshot the index is created once a checkpoint completed, before the account is
        // written.
        boolean indexFirst = phase != Phase.MID_SNAPSHOT;
        MatrixRun.Builder builder =
                accountsRun(
                                "refused_" + phase.name().toLowerCase(Locale.ROOT),
                                mode,
                                twins,
                                indexFirst)
                        .snapshotPace(phase == Phase.MID_SNAPSHOT ? 150 : 10, 10);
        try (MatrixRun run = builder.start()) {
            MongoCollection<Document> target = run.target().getCollection(ACCOUNTS);
            switch (phase) {
                case BEFORE_FIRST_CHECKPOINT:
                    break; // no checkpoint is triggered before the job ends
                case MID_SNAPSHOT:
                    run.awaitPhase(Phase.MID_SNAPSHOT);
                    assertThat(target.find(Filters.eq("_id", refused)).first())
                            .as("account %d not written yet (%s)", refused, run.state())
                            .isNull();
                    uniqueEmailIndex(run.target());
                    run.note(
                            "mid-snapshot: unique index on email created at the target ("
                                    + run.state()
                                    + ")");
                    run.snapshotPace(10);
                    break;
                case END_OF_SNAPSHOT:
                    run.startCheckpoints(); // the refused account is the last one the snapshot
                    // reads
                    break;
                case MID_CDC:
                    run.awaitPhase(Phase.MID_CDC);
                    awaitEqual(run);
                    run.source().getCollection(ACCOUNTS).insertOne(account(refused, email(0)));
                    run.note(
                            "mid-CDC: account "
                                    + refused
                                    + " inserted at the source with account 0's email");
                    break;
                default:
                    throw new IllegalArgumentException(phase.name());
            }
            assertThat(run.awaitEnd(Duration.ofSeconds(60)))
                    .as(run.state())
                    .isEqualTo(JobStatus.FAILED);
            run.note("FAILED (" + run.state() + ")");
            String failure = run.failure();
            Optional<UnrecoverableException> refusal =
                    ExceptionUtils.findThrowable(
                            TestJobs.failureCause(client, run.job()), UnrecoverableException.class);
            assertThat(refusal).as(failure).isPresent();
            assertThat(refusal.get().getMessage())
                    .contains("The write of _id " + refused + " (")
                    .contains(
                            "of "
                                    + run.source().getName()
                                    + ".accounts was refused by the target "
                                    + run.target().getName()
                                    + ".accounts")
                    .contains("error 11000");
            assertThat(run.restarts()).as("failed at once, without a restart").isZero();

            CollectionDiff diff =
                    CollectionDiff.ofReplacedDocuments(run.source(), run.target(), ACCOUNTS);
            assertThat(diff.extra).as(diff.toString()).isEmpty();
            assertThat(diff.different).as(diff.toString()).isEmpty();
            assertThat(diff.missing).as(diff.toString()).contains(key(refused));
            switch (phase) {
                case BEFORE_FIRST_CHECKPOINT:
                    assertThat(run.checkpoints()).as("checkpoints completed").isZero();
                    break;
                case MID_SNAPSHOT:
                    assertThat(run.checkpoints()).as("checkpoints completed").isPositive();
                    // One writer sends ordered bulks of at most 20: nothing after the refused one's
                    // bulk.
                    assertThat(diff.missing)
                            .as("the rest of the snapshot is not written: " + diff)
                            .containsAll(keys(refused + 20, ACCOUNT_COUNT));
                    break;
                case END_OF_SNAPSHOT:
                case MID_CDC:
                    assertThat(diff.missing)
                            .as("everything else written: " + diff)
                            .containsExactly(key(refused));
                    break;
                default:
                    throw new IllegalArgumentException(phase.name());
            }
        }
    }

    /**
     * With target.on-write-error=skip-and-log, accounts the target refuses (a second account with
     * an email another has) at the start, middle and end of the snapshot and, for full+incremental,
     * an insert and an update in the change streams are dead-lettered and the job goes on: the
     * target equals the source except exactly the dead-lettered documents, each recorded with its
     * code, message and document.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void writesTheTargetRefusesAreDeadLetteredInEveryPhaseAndTheRestIsCopied(Mode mode)
            throws Exception {
        // account -> the account whose email it has; the one of each pair written second is refused
        Map<Integer, Integer> twins = Map.of(1, 0, 200, 150, 399, 398);
        MatrixRun.Builder builder =
                accountsRun("deadletters", mode, twins, true)
                        .option("target.on-write-error", "skip-and-log")
                        .snapshotPace(100, 10);
        try (MatrixRun run = builder.start()) {
            MongoCollection<BsonDocument> letters =
                    run.target().getCollection(DEAD_LETTERS, BsonDocument.class);
            awaitLetter(run, letters, 0, 1);
            assertThat(run.checkpoints())
                    .as("refused before the first completed checkpoint")
                    .isZero();
            run.startCheckpoints();
            awaitLetter(run, letters, 150, 200);
            assertThat(run.checkpoints())
                    .as("refused mid-snapshot, after a checkpoint")
                    .isPositive();
            assertThat(run.snapshotFinished()).as("refused mid-snapshot").isFalse();
            run.snapshotPace(10);
            awaitLetter(run, letters, 398, 399);

            Set<Integer> refusedInserts = new TreeSet<>(letterIds(letters));
            assertThat(refusedInserts).as("one account of each pair").hasSize(twins.size());
            twins.forEach(
                    (twin, original) -> assertThat(refusedInserts).containsAnyOf(twin, original));
            Set<Integer> refusedUpdates = new TreeSet<>();
            if (mode.hasChangeStreams()) {
                run.awaitPhase(Phase.MID_CDC);
                MongoCollection<Document> source = run.source().getCollection(ACCOUNTS);
                source.insertOne(account(400, email(10))); // refused
                source.updateOne(Filters.eq("_id", 20), Updates.set("email", email(21))); // refused
                source.insertOne(account(401, email(401)));
                source.updateOne(Filters.eq("_id", 30), Updates.set("name", "renamed"));
                run.note("mid-CDC: two writes the target refuses and two it takes");
                refusedInserts.add(400);
                refusedUpdates.add(20);
                awaitLetter(run, letters, 400, 400);
                awaitLetter(run, letters, 20, 20);
            } else {
                assertThat(run.awaitEnd(Duration.ofSeconds(60)))
                        .as(run.state())
                        .isEqualTo(JobStatus.FINISHED);
            }

            // The target: the source but for the refused inserts (missing) and the refused update
            // (the
            // document as it was before it).
            Set<String> missing = new TreeSet<>();
            refusedInserts.forEach(id -> missing.add(key(id)));
            Set<String> different = new TreeSet<>();
            refusedUpdates.forEach(id -> different.add(key(id)));
            CollectionDiff diff = awaitDiff(run, missing, different);
            run.note("compared " + diff);
            assertThat(new TreeSet<>(diff.missing)).as(diff.toString()).isEqualTo(missing);
            assertThat(new TreeSet<>(diff.different)).as(diff.toString()).isEqualTo(different);
            assertThat(diff.extra).as(diff.toString()).isEmpty();

            // Exactly those are recorded, each with the document the source has.
            Set<Integer> refused = new TreeSet<>(refusedInserts);
            refused.addAll(refusedUpdates);
            assertThat(new TreeSet<>(letterIds(letters))).isEqualTo(refused);
            for (BsonDocument letter : letters.find()) {
                BsonDocument id = letter.getDocument("_id");
                int account = id.getInt32("documentId").getValue();
                assertThat(id.getString("namespace").getValue())
                        .isEqualTo(run.target().getName() + "." + ACCOUNTS);
                assertThat(letter.getInt32("code").getValue()).as(letter.toJson()).isEqualTo(11000);
                assertThat(letter.getString("message").getValue())
                        .as(letter.toJson())
                        .contains("E11000");
                BsonDocument atSource =
                        run.source()
                                .getCollection(ACCOUNTS, BsonDocument.class)
                                .find(Filters.eq("_id", account))
                                .first();
                assertThat(letter.getDocument("document"))
                        .as("the recorded document of %d", account)
                        .isEqualTo(atSource);
            }
            assertThat(TestJobs.sum(REPORTER, run.job(), "writesDeadLettered"))
                    .isEqualTo(refused.size());
            assertThat(run.restarts()).as("no restart").isZero();
            assertThat(run.status())
                    .isEqualTo(mode.hasChangeStreams() ? JobStatus.RUNNING : JobStatus.FINISHED);
        }
    }

    /**
     * Accounts 0..{@value #ACCOUNT_COUNT}-1 at the source, one reader and one writer, small bulks.
     */
    private MatrixRun.Builder accountsRun(
            String name, Mode mode, Map<Integer, Integer> twins, boolean indexFirst) {
        MatrixRun.Builder builder =
                freshRun(name, mode)
                        .collections(List.of(ACCOUNTS))
                        .option("target.writers", "1")
                        .option("target.batch-size", "20");
        List<Document> accounts = new ArrayList<>();
        for (int i = 0; i < ACCOUNT_COUNT; i++) {
            accounts.add(account(i, email(twins.getOrDefault(i, i))));
        }
        builder.sourceDatabase().getCollection(ACCOUNTS).insertMany(accounts);
        // The target collection exists already (target.existing-data=keep keeps it and its
        // indexes).
        MongoDatabase target = SERVERS.targetClient().getDatabase(builder.targetDatabase());
        target.createCollection(ACCOUNTS);
        if (indexFirst) {
            uniqueEmailIndex(target);
        }
        return builder;
    }

    private static Document account(int id, String email) {
        return new Document("_id", id)
                .append("email", email)
                .append("name", "account " + id)
                .append("pad", "p".repeat(200));
    }

    private static String email(int account) {
        return "account-" + account + "@example.com";
    }

    private static void uniqueEmailIndex(MongoDatabase target) {
        target.getCollection(ACCOUNTS)
                .createIndex(
                        Indexes.ascending("email"),
                        new IndexOptions().unique(true).name("email_unique"));
    }

    private static String key(int account) {
        return CollectionDiff.keyOf(new BsonInt32(account));
    }

    private static List<String> keys(int from, int to) {
        List<String> keys = new ArrayList<>();
        for (int i = from; i < to; i++) {
            keys.add(key(i));
        }
        return keys;
    }

    private static List<Integer> letterIds(MongoCollection<BsonDocument> letters) {
        List<Integer> ids = new ArrayList<>();
        for (BsonDocument letter : letters.find()) {
            ids.add(letter.getDocument("_id").getInt32("documentId").getValue());
        }
        return ids;
    }

    /**
     * Waits for the dead letter of one of {@code a} and {@code b} (whichever of them was written
     * second).
     */
    private static void awaitLetter(
            MatrixRun run, MongoCollection<BsonDocument> letters, int a, int b)
            throws InterruptedException {
        String accounts = a + (a == b ? "" : " or " + b);
        TestJobs.await(
                "a dead letter of account " + accounts + " (" + run.state() + ")",
                Duration.ofSeconds(60),
                () -> {
                    List<Integer> ids = letterIds(letters);
                    return ids.contains(a) || ids.contains(b);
                });
        run.note("dead letter of account " + accounts + " (" + run.state() + ")");
    }

    /**
     * The accounts' diff once it shows exactly {@code missing} and {@code different} (or after a
     * minute).
     */
    private static CollectionDiff awaitDiff(
            MatrixRun run, Set<String> missing, Set<String> different) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            CollectionDiff diff =
                    CollectionDiff.ofReplacedDocuments(run.source(), run.target(), ACCOUNTS);
            boolean expected =
                    new TreeSet<>(diff.missing).equals(missing)
                            && new TreeSet<>(diff.different).equals(different)
                            && diff.extra.isEmpty();
            if (expected || System.nanoTime() > deadline) {
                return diff;
            }
            Thread.sleep(200);
        }
    }

    private static void awaitEqual(MatrixRun run) throws InterruptedException {
        CollectionDiff diff = awaitDiff(run, Set.of(), Set.of());
        assertThat(diff.isEqual()).as("the snapshot copied everything: " + diff).isTrue();
    }

    /**
     * A run over the sample collections between the class's servers, with a workload for
     * full+incremental.
     */
    private MatrixRun.Builder sampleRun(String fault, Mode mode) {
        MatrixRun.Builder builder =
                freshRun(fault, mode)
                        .collections(SAMPLE_COLLECTIONS)
                        .snapshotPace(40, 3)
                        .workload(mode.hasChangeStreams() ? 100 : 0);
        SampleDataSeeder.seed(builder.sourceDatabase(), PLAN);
        return builder;
    }

    /**
     * A run named after its fault and mode on the class's cluster: a fresh database at the class's
     * source server, copied into {@code <it>_copy} at its target server.
     */
    private MatrixRun.Builder freshRun(String fault, Mode mode) {
        String name = fault + "_" + (mode.hasChangeStreams() ? "fullinc" : "full");
        String sourceDb = MongoTestServer.freshDatabaseName(name);
        return MatrixRun.builder(name, mode)
                .cluster(client, miniCluster, REPORTER)
                .source(SERVERS.sourceUri(), SERVERS.sourceClient(), sourceDb)
                .target(SERVERS.targetUri(), SERVERS.targetClient(), sourceDb + "_copy")
                .stateDir(stateDir);
    }

    /**
     * The embedded server with the H2 backend on a fixed port: stopped gracefully (its file
     * flushed) and started again on the same port and file, with the data it had.
     */
    private static final class RestartableTarget implements AutoCloseable {
        private final Path file;
        private final int port;
        @Nullable private EmbeddedMongoServer server;

        RestartableTarget(Path file) throws IOException {
            this.file = file;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                this.port = probe.getLocalPort();
            }
            start();
        }

        String uri() {
            return "mongodb://127.0.0.1:" + port + "/?directConnection=true";
        }

        void start() {
            server = EmbeddedMongoServer.start("127.0.0.1", port, file);
        }

        void stop() {
            if (server != null) {
                server.close();
                server = null;
            }
        }

        @Override
        public void close() {
            stop();
        }
    }

    /**
     * Starts the run, injects the fault in each phase of the mode as the run reaches it, then
     * finishes.
     */
    private static void injectInEveryPhase(MatrixRun.Builder builder, Mode mode, Fault fault)
            throws Exception {
        try (MatrixRun run = builder.start()) {
            for (Phase phase : mode.phases()) {
                run.awaitPhase(phase);
                run.inject(phase, fault);
            }
            finish(run, mode);
        }
    }

    private static void finish(MatrixRun run, Mode mode) throws Exception {
        if (mode.hasChangeStreams()) {
            run.assertCaughtUpEqual(Duration.ofSeconds(90));
        } else {
            run.assertFinishedEqual(Duration.ofSeconds(90));
        }
    }
}
