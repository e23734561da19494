package io.mongoresume.connectors.sink.writer;

import org.apache.flink.runtime.metrics.groups.InternalSinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.mongoresume.connectors.common.UnrecoverableException;
import io.mongoresume.connectors.common.bson.BsonBytes;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.sink.MongoMigrationSink;
import io.mongoresume.connectors.sink.MongoMigrationSinkBuilder;
import io.mongoresume.connectors.sink.SinkTestOptions;
import io.mongoresume.connectors.sink.WriteErrorPolicy;
import io.mongoresume.connectors.sink.WritePolicy;
import io.mongoresume.connectors.testutils.MongoServerExtension;
import io.mongoresume.connectors.testutils.MongoTestServer;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.RawBsonArray;
import org.bson.RawBsonDocument;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.mongoresume.connectors.sink.SinkTestEvents.create;
import static io.mongoresume.connectors.sink.SinkTestEvents.delete;
import static io.mongoresume.connectors.sink.SinkTestEvents.doc;
import static io.mongoresume.connectors.sink.SinkTestEvents.drop;
import static io.mongoresume.connectors.sink.SinkTestEvents.insert;
import static io.mongoresume.connectors.sink.SinkTestEvents.snapshot;
import static io.mongoresume.connectors.sink.SinkTestEvents.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Drives {@link MongoMigrationWriter} directly (manual processing time, explicit flushes) against
 * the target test server. The MiniCluster path is covered by {@link
 * io.mongoresume.connectors.sink.MongoMigrationSinkITCase}.
 */
class MongoMigrationWriterITCase {

    @RegisterExtension
    static final MongoServerExtension SERVER = new MongoServerExtension(MongoTestServer::target);

    private final TestProcessingTimeService time = new TestProcessingTimeService();
    private final List<MongoMigrationWriter> writers = new ArrayList<>();
    private String db;

    @BeforeEach
    void freshDatabase() {
        db = MongoTestServer.freshDatabaseName("sink");
    }

    @AfterEach
    void closeWriters() throws Exception {
        for (MongoMigrationWriter writer : writers) {
            writer.close();
        }
        SERVER.client().getDatabase(db).drop();
    }

    private MongoMigrationSinkBuilder sink() {
        return sink(SERVER.server().uri(), 5_000);
    }

    /** A sink on {@code uri}, each request bounded by {@code timeoutMillis}, flushed by hand. */
    private static MongoMigrationSinkBuilder sink(String uri, long timeoutMillis) {
        return MongoMigrationSink.builder()
                .connection(MongoConnectionOptions.of(uri, timeoutMillis))
                .batchMaxWaitMillis(-1);
    }

    private MongoMigrationWriter writer(MongoMigrationSinkBuilder builder) {
        MongoMigrationWriter writer =
                new MongoMigrationWriter(
                        SinkTestOptions.of(builder),
                        time,
                        InternalSinkWriterMetricGroup.wrap(
                                UnregisteredMetricGroups.createUnregisteredOperatorMetricGroup()));
        writers.add(writer);
        return writer;
    }

    private MongoMigrationWriter writer() {
        return writer(sink());
    }

    /** A writer on the default sink with the policy that {@code policy} describes. */
    private MongoMigrationWriter writer(WritePolicy.Builder policy) {
        return writer(sink().writePolicy(policy.build()));
    }

    private static void writeAll(MongoMigrationWriter writer, MigrationEvent... events)
            throws Exception {
        for (MigrationEvent event : events) {
            writer.write(event, null);
        }
    }

    /** Writes {@code events} and flushes them, as a checkpoint would. */
    private static void writeAndFlush(MongoMigrationWriter writer, MigrationEvent... events)
            throws Exception {
        writeAll(writer, events);
        writer.flush(false);
    }

    private MongoCollection<RawBsonDocument> coll(String database, String name) {
        return SERVER.client().getDatabase(database).getCollection(name, RawBsonDocument.class);
    }

    /** Puts {@code {_id: id, old: true}} into {@code db.c} directly, for each id. */
    private void insertOld(int... ids) {
        for (int id : ids) {
            coll(db, "c").insertOne(RawBsonDocument.parse("{_id: " + id + ", old: true}"));
        }
    }

    private void uniqueEmailIndex(String database, String name) {
        coll(database, name)
                .createIndex(
                        Indexes.ascending("email"),
                        new IndexOptions().unique(true).name("email_1"));
    }

    /** An insert into {@code db.c} of a document of only an int {@code _id} and an email. */
    private MigrationEvent insertWithEmail(int id, String email) {
        return insert(
                db,
                "c",
                new BsonDocument("_id", new BsonInt32(id)).append("email", new BsonString(email)));
    }

    /** {@code doc(id, "v", 1)} with 17 MiB more: over MongoDB's limit of 16 MiB. */
    private static BsonDocument overTheSizeLimit(int id) {
        return doc(id, "v", 1).append("big", new BsonString("x".repeat(17 * 1024 * 1024)));
    }

    private Map<Integer, BsonDocument> contents(String database, String name) {
        Map<Integer, BsonDocument> out = new TreeMap<>();
        for (RawBsonDocument d : coll(database, name).find()) {
            out.put(
                    d.getInt32("_id").getValue(),
                    BsonBytes.toMutableDocument(BsonBytes.toBytes(d)));
        }
        return out;
    }

    @Test
    void upsertsLandBitExact() throws Exception {
        BsonDocument rich =
                new BsonDocument("_id", new BsonObjectId(new ObjectId()))
                        .append("long", new BsonInt64(1L))
                        .append("int", new BsonInt32(1))
                        .append("double", new BsonDouble(1.0))
                        .append("dec", new BsonDecimal128(new Decimal128(new BigDecimal("1.10"))))
                        .append("date", new BsonDateTime(1_700_000_000_123L))
                        .append("bin", new BsonBinary(UUID.randomUUID()))
                        .append("null", BsonNull.VALUE)
                        .append(
                                "nested",
                                new BsonDocument("z", new BsonString("last"))
                                        .append("a", new BsonString("first")))
                        .append(
                                "arr",
                                RawBsonArray.parse("[1, {\"$numberLong\": \"2\"}, \"three\"]"));
        byte[] bytes = BsonBytes.toBytes(rich);
        MongoMigrationWriter writer = writer();
        writeAndFlush(
                writer,
                MigrationEvent.snapshotRow(db, "c", rich.get("_id"), bytes, 1L),
                insert(db, "c", doc(2, "a", 1)));

        RawBsonDocument stored =
                coll(db, "c").find(new BsonDocument("_id", rich.get("_id"))).first();
        assertThat(BsonBytes.toBytes(stored)).isEqualTo(bytes);
        assertThat(writer.metrics(db, "c").documentsWritten()).isEqualTo(2);
        assertThat(writer.metrics(db, "c").bulkRequests()).isEqualTo(1);
    }

    @Test
    void replaceRemovesFieldsAndDeletesDelete() throws Exception {
        MongoMigrationWriter writer = writer();
        BsonDocument v1 = doc(1, "a", 1).append("gone", BsonBoolean.TRUE);
        writeAndFlush(writer, insert(db, "c", v1), insert(db, "c", doc(2, "a", 2)));
        writeAndFlush(writer, update(db, "c", doc(1, "b", 5)), delete(db, "c", 2));

        assertThat(contents(db, "c")).containsOnlyKeys(1).containsEntry(1, doc(1, "b", 5));
        assertThat(writer.metrics(db, "c").documentsDeleted()).isEqualTo(1);
    }

    @Test
    void sameIdInOneBatchEndsInTheLastState() throws Exception {
        MongoMigrationWriter writer = writer();
        writeAll(
                writer,
                insert(db, "c", doc(1, "v", 1)),
                update(db, "c", doc(1, "v", 2)),
                delete(db, "c", 1),
                insert(db, "c", doc(1, "v", 4)),
                insert(db, "c", doc(2, "v", 1)),
                delete(db, "c", 2));
        assertThat(writer.buffered()).isEqualTo(2);
        writer.flush(false);
        assertThat(contents(db, "c")).containsOnlyKeys(1).containsEntry(1, doc(1, "v", 4));
    }

    @Test
    void sameIdWithConditionalWritesKeepsEventOrder() throws Exception {
        // Not collapsible: insert-if-absent and replace-if-exists depend on what is there.
        MongoMigrationWriter writer =
                writer(
                        WritePolicy.builder()
                                .insert(WritePolicy.InsertPolicy.IGNORE_EXISTING)
                                .update(WritePolicy.UpdatePolicy.IGNORE_MISSING));
        writeAndFlush(
                writer,
                update(db, "c", doc(1, "v", 0)), // missing: ignored by the server
                insert(db, "c", doc(1, "v", 1)), // absent: inserted
                insert(db, "c", doc(1, "v", 2)), // exists: kept
                update(db, "c", doc(1, "v", 3)), // exists: replaced
                delete(db, "c", 1),
                update(db, "c", doc(1, "v", 5))); // missing again: nothing
        assertThat(contents(db, "c")).isEmpty();

        writeAndFlush(writer, insert(db, "c", doc(1, "v", 6)), update(db, "c", doc(1, "w", 7)));
        assertThat(contents(db, "c")).containsEntry(1, doc(1, "w", 7));
    }

    @Test
    void orderHoldsAcrossManyFlushes() throws Exception {
        MongoMigrationWriter writer = writer(sink().batchSize(3));
        Map<Integer, BsonDocument> expected = new TreeMap<>();
        for (int i = 0; i < 200; i++) {
            int id = i % 7;
            if (i % 5 == 4) {
                writer.write(delete(db, "c", id), null);
                expected.remove(id);
            } else {
                BsonDocument d = doc(id, "v" + (i % 3), i);
                writer.write(i % 2 == 0 ? insert(db, "c", d) : update(db, "c", d), null);
                expected.put(id, d);
            }
        }
        writer.flush(true);
        assertThat(contents(db, "c")).isEqualTo(expected);
        assertThat(writer.metrics(db, "c").bulkRequests()).isGreaterThan(10);
    }

    @Test
    void routesByNamespaceIncludingNewOnes() throws Exception {
        String otherDb = db + "_b";
        MongoMigrationWriter writer = writer();
        writeAndFlush(
                writer, insert(db, "a", doc(1, "x", 1)), insert(otherDb, "a", doc(1, "x", 2)));
        writeAndFlush(writer, insert(db, "late", doc(1, "x", 3)), insert(db, "a", doc(2, "x", 4)));

        assertThat(contents(db, "a")).containsOnlyKeys(1, 2).containsEntry(1, doc(1, "x", 1));
        assertThat(contents(otherDb, "a")).containsOnly(Map.entry(1, doc(1, "x", 2)));
        assertThat(contents(db, "late")).containsOnly(Map.entry(1, doc(1, "x", 3)));
        assertThat(writer.metrics(db, "late").documentsWritten()).isEqualTo(1);
        SERVER.client().getDatabase(otherDb).drop();
    }

    @Test
    void targetDatabaseOverride() throws Exception {
        MongoMigrationWriter writer = writer(sink().targetDatabase(db));
        writeAndFlush(
                writer, insert("src1", "a", doc(1, "x", 1)), insert("src2", "b", doc(1, "x", 2)));
        assertThat(contents(db, "a")).containsOnly(Map.entry(1, doc(1, "x", 1)));
        assertThat(contents(db, "b")).containsOnly(Map.entry(1, doc(1, "x", 2)));
        assertThat(SERVER.client().listDatabaseNames().into(new ArrayList<>()))
                .doesNotContain("src1", "src2");
    }

    @Test
    void ignoreExistingKeepsTheOldDocument() throws Exception {
        insertOld(1, 3, 5);
        MongoMigrationWriter writer =
                writer(WritePolicy.builder().insert(WritePolicy.InsertPolicy.IGNORE_EXISTING));
        writeAndFlush(
                writer,
                snapshot(db, "c", doc(1, "new", 1)),
                insert(db, "c", doc(2, "new", 2)),
                // _id only: goes through insertOne, whose duplicate key is skipped mid-bulk.
                insert(db, "c", new BsonDocument("_id", new BsonInt32(3))),
                insert(db, "c", doc(4, "new", 4)),
                snapshot(db, "c", doc(5, "new", 5)),
                // supersedes the snapshot row of 1 in the buffer (a replace-upsert)
                update(db, "c", doc(1, "upd", 1)));

        Map<Integer, BsonDocument> target = contents(db, "c");
        assertThat(target.get(1)).isEqualTo(doc(1, "upd", 1));
        assertThat(target.get(2)).isEqualTo(doc(2, "new", 2));
        assertThat(target.get(3).getBoolean("old").getValue()).isTrue();
        assertThat(target.get(4)).isEqualTo(doc(4, "new", 4));
        assertThat(target.get(5).getBoolean("old").getValue()).isTrue();
        // 3 (insertOne hit the duplicate key) and 5 ($setOnInsert found it) were kept.
        assertThat(writer.metrics(db, "c").writesIgnored()).isEqualTo(2);
        assertThat(writer.metrics(db, "c").documentsWritten()).isEqualTo(3);
    }

    @Test
    void ignoreMissingDoesNotCreate() throws Exception {
        insertOld(1);
        MongoMigrationWriter writer =
                writer(WritePolicy.builder().update(WritePolicy.UpdatePolicy.IGNORE_MISSING));
        writeAndFlush(writer, update(db, "c", doc(1, "v", 1)), update(db, "c", doc(2, "v", 2)));
        assertThat(contents(db, "c")).containsOnly(Map.entry(1, doc(1, "v", 1)));
    }

    @Test
    void ignoredDeletesAndAppendOnly() throws Exception {
        MongoMigrationWriter ignoring =
                writer(WritePolicy.builder().delete(WritePolicy.DeletePolicy.IGNORE));
        writeAndFlush(ignoring, insert(db, "c", doc(1, "v", 1)), delete(db, "c", 1));
        assertThat(contents(db, "c")).containsOnly(Map.entry(1, doc(1, "v", 1)));
        assertThat(ignoring.metrics(db, "c").writesIgnored()).isEqualTo(1);

        MongoMigrationWriter appendOnly =
                writer(WritePolicy.builder().mode(WritePolicy.Mode.APPEND_ONLY));
        writeAndFlush(
                appendOnly,
                insert(db, "d", doc(1, "v", 1)),
                snapshot(db, "d", doc(2, "v", 2)),
                update(db, "d", doc(1, "v", 9)),
                update(db, "d", doc(3, "v", 9)),
                delete(db, "d", 2));
        assertThat(contents(db, "d"))
                .containsOnly(Map.entry(1, doc(1, "v", 1)), Map.entry(2, doc(2, "v", 2)));
        assertThat(appendOnly.metrics(db, "d").writesIgnored()).isEqualTo(3);
    }

    @Test
    void keepDeletedMarksInsteadOfRemoving() throws Exception {
        MongoMigrationWriter writer = writer(WritePolicy.builder().keepDeleted(true));
        writeAndFlush(
                writer,
                insert(db, "c", doc(1, "v", 1)),
                insert(db, "c", doc(2, "v", 2)),
                delete(db, "c", new BsonInt32(1), 1_700_000_000_000L),
                delete(db, "c", new BsonInt32(9), 1_700_000_000_000L)); // missing: no marker doc
        writeAndFlush(writer, delete(db, "c", 2), insert(db, "c", doc(2, "v", 3)));

        Map<Integer, BsonDocument> target = contents(db, "c");
        assertThat(target).containsOnlyKeys(1, 2);
        assertThat(target.get(1))
                .isEqualTo(
                        doc(1, "v", 1)
                                .append(WritePolicy.DELETED_FIELD, BsonBoolean.TRUE)
                                .append(
                                        WritePolicy.DELETED_AT_FIELD,
                                        new BsonDateTime(1_700_000_000_000L)));
        assertThat(target.get(2)).isEqualTo(doc(2, "v", 3));
        // The marker for 2 was superseded in the buffer by the re-insert (a replace-upsert).
        assertThat(writer.metrics(db, "c").documentsDeleted()).isEqualTo(2);
    }

    @Test
    void ddlCreatesAndDropsAfterFlushingPendingWrites() throws Exception {
        MongoMigrationWriter writer = writer();
        writer.write(create(db, "made"), null);
        writer.write(create(db, "made"), null); // already there: no error
        assertThat(SERVER.client().getDatabase(db).listCollectionNames().into(new ArrayList<>()))
                .contains("made");

        writeAll(writer, insert(db, "c", doc(1, "v", 1)), insert(db, "c", doc(2, "v", 2)));
        writer.write(drop(db, "c"), null);
        assertThat(writer.metrics(db, "c").documentsWritten()).isEqualTo(2);
        assertThat(SERVER.client().getDatabase(db).listCollectionNames().into(new ArrayList<>()))
                .doesNotContain("c");
        writer.write(drop(db, "never-existed"), null);

        writer.write(insert(db, "c", doc(3, "v", 3)), null);
        writer.flush(false);
        assertThat(contents(db, "c")).containsOnlyKeys(3);
    }

    @Test
    void flushesBySizeOnlyWhenABatchIsFull() throws Exception {
        MongoMigrationWriter writer = writer(sink().batchSize(4));
        writeAll(writer, insert(db, "a", doc(1, "v", 1)), insert(db, "a", doc(2, "v", 1)));
        writeAll(writer, insert(db, "b", doc(1, "v", 1)));
        assertThat(contents(db, "a")).isEmpty();
        writer.write(insert(db, "b", doc(2, "v", 1)), null); // total reaches 4: everything goes
        assertThat(contents(db, "a")).hasSize(2);
        assertThat(contents(db, "b")).hasSize(2);
        assertThat(writer.buffered()).isZero();

        for (int i = 10; i < 14; i++) {
            writer.write(insert(db, "a", doc(i, "v", 1)), null);
        }
        assertThat(contents(db, "a")).hasSize(6);
        assertThat(writer.metrics(db, "a").bulkRequests()).isEqualTo(2);
    }

    @Test
    void flushesByTimer() throws Exception {
        MongoMigrationWriter writer = writer(sink().batchMaxWaitMillis(100));
        time.setCurrentTime(1_000);
        writeAll(writer, insert(db, "a", doc(1, "v", 1)));
        time.setCurrentTime(1_050);
        writeAll(writer, insert(db, "b", doc(1, "v", 1)));
        time.setCurrentTime(1_099);
        assertThat(contents(db, "a")).isEmpty();

        time.setCurrentTime(1_100); // a has waited 100 ms, b only 50
        assertThat(contents(db, "a")).hasSize(1);
        assertThat(contents(db, "b")).isEmpty();
        assertThat(time.getActiveTimerTimestamps()).containsExactly(1_150L);

        time.setCurrentTime(1_150);
        assertThat(contents(db, "b")).hasSize(1);
        assertThat(time.getNumActiveTimers()).isZero();
        assertThat(writer.metrics(db, "a").lastFlushDurationMs()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void retriesUntilTheServerIsBack() throws Exception {
        assumeTrue(SERVER.server().isEmbedded(), "restarts an embedded server");
        MongoServer first = new MongoServer(new MemoryBackend());
        first.bind("127.0.0.1", 0);
        int port = first.getLocalAddress().getPort();
        String uri = "mongodb://127.0.0.1:" + port + "/?directConnection=true";
        MongoServer[] second = new MongoServer[1];
        try {
            MongoMigrationWriter writer =
                    writer(sink(uri, 300).maxRetries(6).retryBackoffMillis(200));
            writeAndFlush(writer, insert(db, "c", doc(1, "v", 1)));

            first.shutdownNow();
            CompletableFuture<Void> restart =
                    CompletableFuture.runAsync(
                            () -> {
                                sleep(1_200);
                                second[0] = new MongoServer(new MemoryBackend());
                                second[0].bind("127.0.0.1", port);
                            });
            writeAll(writer, insert(db, "c", doc(2, "v", 2)), insert(db, "c", doc(3, "v", 3)));
            long start = System.nanoTime();
            writer.flush(false);
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            restart.join();

            try (MongoClient direct = MongoConnectionOptions.of(uri, 2_000).createClient()) {
                assertThat(direct.getDatabase(db).getCollection("c").countDocuments())
                        .isEqualTo(2); // the restarted memory server only has the retried writes
            }
            assertThat(writer.metrics(db, "c").bulkRequests()).isGreaterThan(2);
            assertThat(writer.metrics(db, "c").documentsWritten()).isEqualTo(3);
            assertThat(tookMs).isGreaterThanOrEqualTo(1_000);
        } finally {
            first.shutdownNow();
            if (second[0] != null) {
                second[0].shutdownNow();
            }
        }
    }

    @Test
    void failsClearlyWhenRetriesAreExhausted() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String uri = "mongodb://user:s3cret@127.0.0.1:" + port + "/?directConnection=true";
        MongoMigrationWriter writer = writer(sink(uri, 200).maxRetries(2).retryBackoffMillis(10));
        writeAll(writer, insert(db, "c", doc(1, "v", 1)), insert(db, "c", doc(2, "v", 1)));
        assertThatThrownBy(() -> writer.flush(false))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("write of 2 documents to " + db + ".c")
                .hasMessageContaining("after 3 attempt(s) (retries exhausted)")
                .hasMessageContaining("user:****@127.0.0.1:" + port)
                .hasMessageContaining(
                        "the target could not be reached within 200 ms (target.timeout)")
                .hasMessageContaining("Timed out while waiting for a server")
                .hasMessageNotContaining("s3cret");
        assertThat(writer.metrics(db, "c").bulkRequests()).isEqualTo(3);
    }

    @Test
    void aWriteTheTargetRefusesForGoodFailsTheJobAtOnceNamingTheDocument() throws Exception {
        uniqueEmailIndex(db, "c");
        MongoMigrationWriter writer = writer(sink().maxRetries(5).retryBackoffMillis(1_000));
        writeAll(writer, insertWithEmail(1, "x"), insertWithEmail(2, "x"), insertWithEmail(3, "y"));
        long start = System.nanoTime();
        assertThatThrownBy(() -> writer.flush(false))
                .isInstanceOf(UnrecoverableException.class)
                .hasMessageContaining("The write of _id 2 (")
                .hasMessageContaining("of " + db + ".c was refused by the target " + db + ".c")
                .hasMessageContaining("error 11000")
                .hasMessageContaining("A retry or restart cannot change that answer")
                .hasMessageContaining("target.on-write-error=skip-and-log");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000);
        // The ordered bulk applied the write before the failing one, then retried the duplicate
        // once.
        // A real MongoDB stops there; the embedded server goes on and applies 3 as well.
        assertThat(contents(db, "c")).containsKey(1).doesNotContainKey(2);
        if (!SERVER.server().isEmbedded()) {
            assertThat(contents(db, "c")).containsOnlyKeys(1);
        }
        assertThat(writer.metrics(db, "c").documentsWritten()).isEqualTo(1);
        assertThat(writer.metrics(db, "c").bulkRequests()).isEqualTo(2);
    }

    @Test
    void aDocumentOverTheSizeLimitIsNamedWithItsSizeBeforeAnythingIsSent() throws Exception {
        MongoMigrationWriter writer = writer(sink().maxRetries(5).retryBackoffMillis(1_000));
        BsonDocument huge = overTheSizeLimit(7);
        writeAll(writer, insert(db, "c", doc(6, "v", 1)), insert(db, "c", huge));
        assertThatThrownBy(() -> writer.flush(false))
                .isInstanceOf(UnrecoverableException.class)
                .hasMessageContaining("The write of _id 7 (178")
                .hasMessageContaining("over MongoDB's limit of 16777216 bytes");
        assertThat(writer.metrics(db, "c").bulkRequests()).as("nothing was sent").isZero();
    }

    @Test
    void skipAndLogRecordsRefusedWritesOnceAndWritesTheRest() throws Exception {
        uniqueEmailIndex(db, "c");
        MongoMigrationWriter writer = writer(sink().onWriteError(WriteErrorPolicy.SKIP_AND_LOG));
        BsonDocument huge = overTheSizeLimit(9);
        MigrationEvent duplicate = insertWithEmail(2, "x");
        writeAndFlush(
                writer,
                insertWithEmail(1, "x"),
                duplicate,
                insert(db, "c", huge),
                insertWithEmail(3, "y"));
        writeAndFlush(writer, duplicate); // a replay after a restart records the same letter again

        assertThat(contents(db, "c")).containsOnlyKeys(1, 3);
        List<BsonDocument> letters =
                SERVER.client()
                        .getDatabase(db)
                        .getCollection(RefusedWrites.DEAD_LETTERS, BsonDocument.class)
                        .find()
                        .into(new ArrayList<>());
        assertThat(letters)
                .extracting(l -> l.getDocument("_id").get("documentId"))
                .containsExactlyInAnyOrder(new BsonInt32(2), new BsonInt32(9));
        BsonDocument duplicateLetter =
                letters.stream()
                        .filter(
                                l ->
                                        l.getDocument("_id")
                                                .get("documentId")
                                                .equals(new BsonInt32(2)))
                        .findFirst()
                        .orElseThrow();
        assertThat(duplicateLetter.getInt32("code").getValue()).isEqualTo(11000);
        assertThat(duplicateLetter.getDocument("document").getString("email").getValue())
                .isEqualTo("x");
        assertThat(duplicateLetter.getString("sourceNamespace").getValue()).isEqualTo(db + ".c");
        assertThat(writer.metrics(db, "c").writesDeadLettered()).isEqualTo(3);
    }

    /** Not a benchmark: a rough figure of what the embedded server takes through one writer. */
    @Test
    void throughputFigure() throws Exception {
        MongoMigrationWriter writer = writer(sink().batchSize(1000));
        int count = 20_000;
        String padding = "p".repeat(150);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            writer.write(
                    insert(db, "perf", doc(i, "v", i).append("pad", new BsonString(padding))),
                    null);
        }
        writer.flush(true);
        long tookMs = Math.max(1, (System.nanoTime() - start) / 1_000_000);
        System.out.printf(
                "Sink throughput: %d upserts (~200 B) in %d ms = %d docs/s (batch 1000, %s)%n",
                count,
                tookMs,
                count * 1000L / tookMs,
                SERVER.server().isEmbedded() ? "embedded" : "real");
        assertThat(coll(db, "perf").countDocuments()).isEqualTo(count);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException(e);
        }
    }
}
