package io.mongoresume.connectors.snapshot.reader;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.event.CommandSucceededEvent;
import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.read.DocumentSize;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.snapshot.MongoSnapshotSource;
import io.mongoresume.connectors.snapshot.MongoSnapshotSourceBuilder;
import io.mongoresume.connectors.snapshot.SnapshotSourceOptions;
import io.mongoresume.connectors.snapshot.event.SplitsFinishedEvent;
import io.mongoresume.connectors.snapshot.event.SplitsHeldEvent;
import io.mongoresume.connectors.snapshot.query.CollectionReadPlan;
import io.mongoresume.connectors.snapshot.query.RangeScanPlan;
import io.mongoresume.connectors.snapshot.query.SnapshotReadConcern;
import io.mongoresume.connectors.snapshot.query.SplitQueryMode;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;
import io.mongoresume.connectors.testutils.HugeDocuments;
import io.mongoresume.connectors.testutils.MongoServerExtension;
import io.mongoresume.connectors.testutils.MongoTestServer;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The split reader and source reader against the embedded server: chunking, paging, resume, events.
 */
class SnapshotSplitReaderTest {

    private static final int DOCUMENTS = 1_000;
    private static final String NS = "reader.docs";

    /**
     * What an average over many small documents says about "huge": batches of the fetch size fit.
     */
    private static final CollectionReadPlan SMALL_AVERAGE =
            new CollectionReadPlan(RangeScanPlan.UNKNOWN, DocumentSize.of(1_000, "collStats"));

    @RegisterExtension
    static final MongoServerExtension SERVER = new MongoServerExtension(MongoTestServer::embedded);

    @BeforeAll
    static void start() {
        MongoCollection<BsonDocument> docs =
                SERVER.client().getDatabase("reader").getCollection("docs", BsonDocument.class);
        List<BsonDocument> batch = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            batch.add(new BsonDocument("_id", new BsonInt32(i)).append("v", new BsonInt32(i * 2)));
        }
        docs.insertMany(batch);
        // binaries of two subtypes: the embedded server cannot range-filter across them
        MongoCollection<BsonDocument> bins =
                SERVER.client().getDatabase("reader").getCollection("bins", BsonDocument.class);
        Random random = new Random(3);
        for (int i = 0; i < 30; i++) {
            bins.insertOne(new BsonDocument("_id", new BsonBinary(new UUID(random.nextLong(), i))));
            bins.insertOne(new BsonDocument("_id", new BsonBinary(new byte[] {(byte) i, 1})));
        }
        // ids 0-99, all small but 60, 61 and 62 (15.5 MiB each)
        HugeDocuments.insertThreeAmongSmall(
                SERVER.client().getDatabase("reader").getCollection("huge", BsonDocument.class),
                100,
                60,
                "small-");
        // 30 documents of 1 MB
        MongoCollection<BsonDocument> wide =
                SERVER.client().getDatabase("reader").getCollection("wide", BsonDocument.class);
        String megabyte = "y".repeat(1_000_000);
        for (int i = 0; i < 30; i++) {
            wide.insertOne(
                    new BsonDocument("_id", new BsonInt32(i))
                            .append("p", new BsonString(megabyte)));
        }
    }

    private static SnapshotSourceOptions options(int batchReadLimit, int fetchSize) {
        return options(batchReadLimit, fetchSize, SplitQueryMode.BATCHED);
    }

    private static SnapshotSourceOptions options(
            int batchReadLimit, int fetchSize, SplitQueryMode mode) {
        return builder(batchReadLimit, fetchSize, mode).build().options();
    }

    private static MongoSnapshotSourceBuilder builder(
            int batchReadLimit, int fetchSize, SplitQueryMode mode) {
        return MongoSnapshotSource.builder()
                .connection(MongoConnectionOptions.of(SERVER.server().uri(), 5_000))
                .database("reader")
                .collections(List.of("docs", "huge"))
                .batchReadLimit(batchReadLimit)
                .splitQueryMode(mode)
                .fetchSize(fetchSize);
    }

    @Test
    void fetchesChunksOfFetchSizeAcrossQueriesUntilTheSplitEnds() throws Exception {
        ReaderMetrics metrics = new ReaderMetrics(new UnregisteredMetricsGroup());
        SnapshotSplit split = docsSplit(0, 100, 900);
        List<Integer> ids = new ArrayList<>();
        AtomicInteger fetches = new AtomicInteger();
        try (SnapshotSplitReader reader =
                new SnapshotSplitReader(options(250, 64), metrics, new CollectionReadPlans())) {
            reader.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
            fetchUntilFinished(
                    reader,
                    split,
                    chunk -> {
                        assertThat(fetches.incrementAndGet()).isLessThan(100);
                        assertThat(chunk.size()).isLessThanOrEqualTo(64);
                        for (SnapshotRecord r : chunk) {
                            ids.add(r.id.asInt32().getValue());
                            assertThat(r.batchLastId).isEqualTo(chunk.get(chunk.size() - 1).id);
                            assertThat(r.document.getInt32("v").getValue())
                                    .isEqualTo(r.id.asInt32().getValue() * 2);
                        }
                    });
            assertThat(reader.fetch().nextSplit()).as("nothing after the last split").isNull();
        }
        assertThat(ids).containsExactlyElementsOf(range(100, 900));
        assertThat(metrics.documentsRead(NS).getCount()).isEqualTo(800);
        assertThat(metrics.documentsRefetched(NS).getCount()).isZero();
    }

    @Test
    void batchedModeQueriesAtMostTheLimitPerQuery() throws Exception {
        FindCounter finds = readIdsHundredToNineHundred(SplitQueryMode.BATCHED);
        assertThat(finds.limits).containsExactly(250, 250, 250, 250);
    }

    @Test
    void autoModeReadsASplitWithOneQueryWhereTheServerCannotExplainARangeScan() throws Exception {
        // The embedded server has no explain: every query might scan the whole collection, so one
        // per split.
        FindCounter finds = readIdsHundredToNineHundred(SplitQueryMode.AUTO);
        assertThat(finds.limits).containsExactly(0);
        assertThat(finds.explains).isEqualTo(1);
    }

    @Test
    void snapshotQueriesReadMajorityCommittedDataByDefault() throws Exception {
        FindCounter finds = readIdsHundredToNineHundred(SplitQueryMode.BATCHED);
        assertThat(finds.readConcerns).hasSize(4).containsOnly(readConcern("majority"));
    }

    @Test
    void snapshotQueriesReadWithTheConfiguredReadConcern() throws Exception {
        FindCounter finds = new FindCounter();
        SnapshotSplit split =
                SnapshotSplit.unread("reader", "docs", 0, TypeBracket.NUMBER, null, null);
        SnapshotSourceOptions local =
                builder(3000, 100, SplitQueryMode.SINGLE)
                        .readConcern(SnapshotReadConcern.LOCAL)
                        .build()
                        .options();
        assertThat(readAll(reader(local, finds), split)).hasSize(DOCUMENTS);
        assertThat(finds.readConcerns).containsExactly(readConcern("local"));
    }

    private static BsonDocument readConcern(String level) {
        return new BsonDocument("level", new BsonString(level));
    }

    /**
     * Reads the split [100, 900) with batch-read-limit 250 and returns what the reader asked the
     * server.
     */
    private static FindCounter readIdsHundredToNineHundred(SplitQueryMode mode) throws Exception {
        FindCounter finds = new FindCounter();
        SnapshotSplit split = docsSplit(0, 100, 900);
        List<Integer> ids = readAll(reader(options(250, 50, mode), finds), split);
        assertThat(ids).hasSize(800).startsWith(100).endsWith(899).doesNotHaveDuplicates();
        return finds;
    }

    @Test
    void aCursorTheServerLostIsReopenedAfterTheLastIdRead() throws Exception {
        FindCounter finds = new FindCounter();
        SnapshotSplit split =
                SnapshotSplit.unread("reader", "docs", 0, TypeBracket.NUMBER, null, null);
        List<Integer> ids = new ArrayList<>();
        try (SnapshotSplitReader reader = reader(options(3000, 40, SplitQueryMode.SINGLE), finds)) {
            reader.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
            drain(reader.fetch(), split.splitId()).forEach(r -> ids.add(r.id.asInt32().getValue()));
            // As a server's idle-cursor timeout would.
            SERVER.client()
                    .getDatabase("reader")
                    .runCommand(
                            new BsonDocument("killCursors", new BsonString("docs"))
                                    .append(
                                            "cursors",
                                            new BsonArray(
                                                    List.of(new BsonInt64(finds.lastCursorId)))));
            fetchUntilFinished(
                    reader, split, chunk -> chunk.forEach(r -> ids.add(r.id.asInt32().getValue())));
        }
        assertThat(ids).containsExactlyElementsOf(range(0, DOCUMENTS));
        assertThat(finds.limits).hasSize(2);
    }

    @Test
    void aSplitCarryingItsCollectionsPlanIsReadWithoutAskingTheServer() throws Exception {
        FindCounter finds = new FindCounter();
        CollectionReadPlan plan =
                new CollectionReadPlan(
                        RangeScanPlan.INDEX_SCAN, DocumentSize.of(100_000, "collStats"));
        SnapshotSplit split = docsSplit(0, 100, 900).withReadPlan(plan);
        List<Integer> ids = readAll(reader(options(250, 100, SplitQueryMode.AUTO), finds), split);
        assertThat(ids).hasSize(800).startsWith(100).endsWith(899).doesNotHaveDuplicates();
        assertThat(finds.explains).as("the plan says index scans").isZero();
        assertThat(finds.limits).containsExactly(250, 250, 250, 250);
        assertThat(finds.findBatchSizes).as("8 MiB of 100 KB documents").containsOnly(83);
    }

    @Test
    void splitsWithoutAPlanAreAskedAboutOncePerCollectionAndReaderSubtask() throws Exception {
        FindCounter finds = new FindCounter();
        CollectionReadPlans plans = new CollectionReadPlans();
        for (int n = 0; n < 3; n++) {
            // A new split reader per split, as Flink's fetcher manager creates them.
            SnapshotSplit split = docsSplit(n, n * 100, n * 100 + 100);
            List<Integer> ids =
                    readAll(reader(options(250, 50, SplitQueryMode.AUTO), finds, plans), split);
            assertThat(ids).hasSize(100);
        }
        assertThat(finds.explains).isEqualTo(1);
    }

    @Test
    void cursorBatchesHoldAboutEightMebibytesOfTheCollectionsAverageDocument() throws Exception {
        FindCounter finds = new FindCounter();
        SnapshotSplit split =
                SnapshotSplit.unread("reader", "wide", 0, TypeBracket.NUMBER, null, null);
        List<Integer> ids = new ArrayList<>();
        try (SnapshotSplitReader reader = reader(options(300, 100, SplitQueryMode.SINGLE), finds)) {
            reader.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
            fetchUntilFinished(
                    reader,
                    split,
                    chunk -> {
                        assertThat(chunk.size())
                                .as("one cursor batch per fetch")
                                .isLessThanOrEqualTo(8);
                        chunk.forEach(r -> ids.add(r.id.asInt32().getValue()));
                    });
        }
        assertThat(ids).hasSize(30).startsWith(0).endsWith(29).doesNotHaveDuplicates();
        assertThat(finds.findBatchSizes).as("collStats: 1 MB documents").containsExactly(8);
        assertThat(finds.getMoreBatchSizes).containsOnly(8);
    }

    @Test
    void aReplyRefusedForItsLengthIsQueriedAgainAfterTheLastIdWithHalvedBatches() throws Exception {
        FindCounter finds = new FindCounter();
        SnapshotSplit split =
                SnapshotSplit.unread("reader", "huge", 0, TypeBracket.NUMBER, null, null)
                        .withReadPlan(SMALL_AVERAGE);
        List<Integer> ids = new ArrayList<>();
        try (SnapshotSplitReader reader = reader(options(300, 30, SplitQueryMode.SINGLE), finds)) {
            reader.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
            fetchUntilFinished(
                    reader,
                    split,
                    chunk -> {
                        for (SnapshotRecord r : chunk) {
                            ids.add(r.id.asInt32().getValue());
                            assertThat(r.batchLastId).isEqualTo(chunk.get(chunk.size() - 1).id);
                        }
                    });
        }
        assertThat(ids).containsExactlyElementsOf(range(0, 100));
        // 30 until the batch holding 60-62 is refused, then halved until one reply can carry it
        assertThat(finds.findBatchSizes).containsExactly(30, 15, 7, 3, 1);
    }

    @Test
    void lastIdStaysExactAcrossARefusedReplyAndARestore() throws Exception {
        SnapshotSourceOptions options = options(300, 30, SplitQueryMode.SINGLE);
        SnapshotSourceReader reader =
                SnapshotSourceReader.create(options, new TestingReaderContext());
        reader.start();
        reader.addSplits(
                List.of(
                        SnapshotSplit.unread("reader", "huge", 0, TypeBracket.NUMBER, null, null)
                                .withReadPlan(SMALL_AVERAGE)));
        TestingReaderOutput<MigrationEvent> output = new TestingReaderOutput<>();
        List<SnapshotSplit> checkpoint = checkpointAfter(reader, output, 62);
        BsonValue lastEmitted = assertAtTheLastEmitted(checkpoint, output);
        assertThat(checkpoint.get(0).readPlan()).isEqualTo(SMALL_AVERAGE);
        assertThat(emittedIds(readToTheEnd(reader, output)))
                .hasSize(100)
                .doesNotHaveDuplicates()
                .isSorted();

        SnapshotSourceReader restored =
                SnapshotSourceReader.create(options, new TestingReaderContext());
        restored.addSplits(checkpoint);
        restored.start();
        List<Integer> rest = emittedIds(readToTheEnd(restored, new TestingReaderOutput<>()));
        assertThat(rest)
                .as("after a restore: exactly the documents after the checkpoint's lastId")
                .hasSize(99 - lastEmitted.asInt32().getValue())
                .startsWith(lastEmitted.asInt32().getValue() + 1)
                .endsWith(99)
                .isSorted();
    }

    /** Polls until {@code emitted} documents are out, then takes checkpoint 1 of the reader. */
    private static List<SnapshotSplit> checkpointAfter(
            SnapshotSourceReader reader, TestingReaderOutput<MigrationEvent> output, int emitted)
            throws Exception {
        while (output.getEmittedRecords().size() < emitted) {
            poll(reader, output);
        }
        return reader.snapshotState(1);
    }

    /**
     * The checkpoint holds the one split, its lastId the last document emitted; returns that _id.
     */
    private static BsonValue assertAtTheLastEmitted(
            List<SnapshotSplit> checkpoint, TestingReaderOutput<MigrationEvent> output) {
        BsonValue lastEmitted =
                output.getEmittedRecords().get(output.getEmittedRecords().size() - 1).id();
        assertThat(checkpoint)
                .singleElement()
                .satisfies(s -> assertThat(s.lastId()).isEqualTo(lastEmitted));
        return lastEmitted;
    }

    /** Split {@code number} of reader.docs: the ids in [min, max). */
    private static SnapshotSplit docsSplit(int number, int min, int max) {
        return SnapshotSplit.unread(
                "reader",
                "docs",
                number,
                TypeBracket.NUMBER,
                new BsonInt32(min),
                new BsonInt32(max));
    }

    private static TestingReaderOutput<MigrationEvent> readToTheEnd(
            SnapshotSourceReader reader, TestingReaderOutput<MigrationEvent> output)
            throws Exception {
        reader.notifyNoMoreSplits();
        InputStatus status;
        do {
            status = poll(reader, output);
        } while (status != InputStatus.END_OF_INPUT);
        reader.close();
        return output;
    }

    private static List<Integer> emittedIds(TestingReaderOutput<MigrationEvent> output) {
        List<Integer> ids = new ArrayList<>();
        output.getEmittedRecords().forEach(e -> ids.add(e.id().asInt32().getValue()));
        return ids;
    }

    private static SnapshotSplitReader reader(SnapshotSourceOptions options, FindCounter finds) {
        return reader(options, finds, new CollectionReadPlans());
    }

    private static SnapshotSplitReader reader(
            SnapshotSourceOptions options, FindCounter finds, CollectionReadPlans plans) {
        ReaderMetrics metrics = new ReaderMetrics(new UnregisteredMetricsGroup());
        return new SnapshotSplitReader(
                options,
                metrics,
                plans,
                () ->
                        MongoClients.create(
                                options.connection()
                                        .boundedClientSettings()
                                        .addCommandListener(finds)
                                        .build()));
    }

    /**
     * The find commands a reader sends (their limits, 0 for none, batch sizes and read concerns),
     * the batch sizes of its getMores, and the explains.
     */
    private static final class FindCounter implements CommandListener {
        final List<Integer> limits = new CopyOnWriteArrayList<>();
        final List<Integer> findBatchSizes = new CopyOnWriteArrayList<>();
        final List<Integer> getMoreBatchSizes = new CopyOnWriteArrayList<>();
        final List<BsonDocument> readConcerns = new CopyOnWriteArrayList<>();
        volatile int explains;
        volatile long lastCursorId;

        @Override
        public void commandStarted(CommandStartedEvent event) {
            BsonDocument command = event.getCommand();
            if (event.getCommandName().equals("find")) {
                limits.add(
                        command.containsKey("limit") ? command.getNumber("limit").intValue() : 0);
                findBatchSizes.add(batchSize(command));
                readConcerns.add(command.getDocument("readConcern", new BsonDocument()).clone());
            } else if (event.getCommandName().equals("getMore")) {
                getMoreBatchSizes.add(batchSize(command));
            } else if (event.getCommandName().equals("explain")) {
                explains++;
            }
        }

        private static int batchSize(BsonDocument command) {
            return command.containsKey("batchSize") ? command.getNumber("batchSize").intValue() : 0;
        }

        @Override
        public void commandSucceeded(CommandSucceededEvent event) {
            if (event.getCommandName().equals("find")) {
                lastCursorId =
                        event.getResponse().getDocument("cursor").getNumber("id").longValue();
            }
        }
    }

    @Test
    void resumesAfterLastIdAndCountsRefetchedDocuments() throws Exception {
        ReaderMetrics metrics = new ReaderMetrics(new UnregisteredMetricsGroup());
        SnapshotSplit split =
                SnapshotSplit.unread("reader", "docs", 0, TypeBracket.NUMBER, null, null)
                        .withProgress(new BsonInt32(499), new BsonInt32(520));
        List<Integer> ids =
                readAll(
                        new SnapshotSplitReader(
                                options(300, 100), metrics, new CollectionReadPlans()),
                        split);
        assertThat(ids).hasSize(500).startsWith(500).endsWith(999);
        assertThat(metrics.documentsRefetched(NS).getCount()).isEqualTo(21);
    }

    @Test
    void clientFilteredSplitSkipsWhatWasEmitted() throws Exception {
        List<RawBsonDocument> all =
                SERVER.client()
                        .getDatabase("reader")
                        .getCollection("bins", RawBsonDocument.class)
                        .find()
                        .sort(new BsonDocument("_id", new BsonInt32(1)))
                        .into(new ArrayList<>());
        BsonValue last = all.get(24).get("_id");
        SnapshotSplit split =
                SnapshotSplit.unread("reader", "bins", 0, TypeBracket.BINARY, null, null)
                        .asClientFiltered()
                        .withProgress(last, null);
        ReaderMetrics metrics = new ReaderMetrics(new UnregisteredMetricsGroup());
        List<BsonValue> ids = new ArrayList<>();
        try (SnapshotSplitReader reader =
                new SnapshotSplitReader(options(7, 5), metrics, new CollectionReadPlans())) {
            reader.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
            fetchUntilFinished(reader, split, chunk -> chunk.forEach(r -> ids.add(r.id)));
        }
        List<BsonValue> expected = new ArrayList<>();
        all.subList(25, all.size()).forEach(d -> expected.add(d.get("_id")));
        assertThat(ids).containsExactlyElementsOf(expected);
    }

    @Test
    void restoredSourceReaderReportsTheSplitsItHolds() throws Exception {
        TestingReaderContext context = new TestingReaderContext();
        SnapshotSourceReader reader = SnapshotSourceReader.create(options(300, 50), context);
        reader.addSplits(
                List.of(
                        SnapshotSplit.unread("reader", "docs", 3, TypeBracket.NUMBER, null, null)
                                .withProgress(new BsonInt32(10), new BsonInt32(12))));
        reader.start();
        reader.addSplits(
                List.of(SnapshotSplit.unread("reader", "docs", 4, TypeBracket.STRING, null, null)));
        assertThat(context.getSentEvents())
                .containsExactly(new SplitsHeldEvent(List.of("reader.docs_3")));
        assertThat(context.getNumSplitRequests()).isZero();
        reader.close();
    }

    @Test
    void sourceReaderEmitsTracksLastIdAndReportsFinishedSplits() throws Exception {
        TestingReaderContext context = new TestingReaderContext();
        SnapshotSourceReader reader = SnapshotSourceReader.create(options(300, 50), context);
        reader.start();
        assertThat(context.getNumSplitRequests()).isEqualTo(1);
        SnapshotSplit split =
                SnapshotSplit.unread(
                        "reader", "docs", 7, TypeBracket.NUMBER, null, new BsonInt32(400));
        reader.addSplits(List.of(split));
        TestingReaderOutput<MigrationEvent> output = new TestingReaderOutput<>();

        List<SnapshotSplit> checkpoint = checkpointAfter(reader, output, 120);
        BsonValue lastEmitted = assertAtTheLastEmitted(checkpoint, output);
        assertThat(checkpoint.get(0).fetchedUpToId().asInt32().getValue())
                .isGreaterThanOrEqualTo(lastEmitted.asInt32().getValue());

        readToTheEnd(reader, output);

        assertThat(output.getEmittedRecords()).hasSize(400);
        MigrationEvent first = output.getEmittedRecords().get(0);
        assertThat(first.namespace()).isEqualTo(NS);
        assertThat(first.document().getInt32("v").getValue()).isZero();
        assertThat(context.getSentEvents())
                .containsExactly(
                        new SplitsHeldEvent(List.of()),
                        new SplitsFinishedEvent(java.util.Map.of("reader.docs_7", "reader.docs")));
        assertThat(context.getNumSplitRequests()).isEqualTo(2);
    }

    private static InputStatus poll(
            SnapshotSourceReader reader, ReaderOutput<MigrationEvent> output) throws Exception {
        InputStatus status = reader.pollNext(output);
        if (status == InputStatus.NOTHING_AVAILABLE) {
            reader.isAvailable().get();
        }
        return status;
    }

    private static List<Integer> readAll(SnapshotSplitReader reader, SnapshotSplit split)
            throws Exception {
        List<Integer> ids = new ArrayList<>();
        try (reader) {
            reader.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
            fetchUntilFinished(
                    reader, split, chunk -> chunk.forEach(r -> ids.add(r.id.asInt32().getValue())));
        }
        return ids;
    }

    /** Fetches until {@code split} (added already) is finished, handing on each fetch's records. */
    private static void fetchUntilFinished(
            SnapshotSplitReader reader, SnapshotSplit split, Consumer<List<SnapshotRecord>> chunks)
            throws Exception {
        boolean finished = false;
        while (!finished) {
            RecordsWithSplitIds<SnapshotRecord> records = reader.fetch();
            chunks.accept(drain(records, split.splitId()));
            finished = records.finishedSplits().contains(split.splitId());
        }
    }

    /** The ids {@code min} to {@code max} - 1. */
    private static List<Integer> range(int min, int max) {
        return IntStream.range(min, max).boxed().collect(Collectors.toList());
    }

    private static List<SnapshotRecord> drain(
            RecordsWithSplitIds<SnapshotRecord> records, String splitId) {
        List<SnapshotRecord> result = new ArrayList<>();
        String id;
        while ((id = records.nextSplit()) != null) {
            assertThat(id).isEqualTo(splitId);
            SnapshotRecord r;
            while ((r = records.nextRecordFromSplit()) != null) {
                result.add(r);
            }
        }
        return result;
    }
}
