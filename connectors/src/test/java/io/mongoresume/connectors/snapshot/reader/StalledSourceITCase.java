package io.mongoresume.connectors.snapshot.reader;

import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

import com.mongodb.client.MongoCollection;
import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.snapshot.MongoSnapshotSource;
import io.mongoresume.connectors.snapshot.SnapshotSourceOptions;
import io.mongoresume.connectors.snapshot.query.SplitQueryMode;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.connectors.testutils.ProxiedServer;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The snapshot reader against a source that stops answering (a proxy freezes every connection, as
 * {@code kill -STOP} would): each cursor round trip is bounded by the source's timeout, the
 * cursor's lifetime is not.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StalledSourceITCase {

    private static final int DOCUMENTS = 300;
    private static final int FETCH_SIZE = 10;

    /** Reached directly, and through a proxy per test. */
    @RegisterExtension
    static final ProxiedServer SERVER = new ProxiedServer(MongoTestServer::source);

    private static String db;

    @BeforeAll
    static void seed() {
        db = MongoTestServer.freshDatabaseName("stalled_source");
        MongoCollection<BsonDocument> docs =
                SERVER.client().getDatabase(db).getCollection("docs", BsonDocument.class);
        List<BsonDocument> batch = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            batch.add(new BsonDocument("_id", new BsonInt32(i)));
        }
        docs.insertMany(batch);
    }

    @AfterAll
    static void stop() {
        SERVER.client().getDatabase(db).drop();
    }

    private SnapshotSplitReader reader(long timeoutMillis) {
        SnapshotSourceOptions options =
                MongoSnapshotSource.builder()
                        .connection(MongoConnectionOptions.of(SERVER.proxy().uri(), timeoutMillis))
                        .database(db)
                        .collections(List.of("docs"))
                        .splitQueryMode(SplitQueryMode.SINGLE)
                        .fetchSize(FETCH_SIZE)
                        .build()
                        .options();
        SnapshotSplitReader reader =
                new SnapshotSplitReader(
                        options,
                        new ReaderMetrics(new UnregisteredMetricsGroup()),
                        new CollectionReadPlans());
        reader.handleSplitsChanges(
                new SplitsAddition<>(
                        List.of(
                                SnapshotSplit.unread(
                                        db, "docs", 0, TypeBracket.NUMBER, null, null))));
        return reader;
    }

    @Test
    void aFetchFromAFrozenSourceFailsWithinTheTimeout() throws Exception {
        try (SnapshotSplitReader reader = reader(1_000)) {
            assertThat(count(reader.fetch())).isEqualTo(FETCH_SIZE);
            SERVER.proxy().freeze();
            long start = System.nanoTime();
            assertThatThrownBy(reader::fetch)
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("Reading snapshot split ")
                    .hasMessageContaining(
                            " from "
                                    + SERVER.proxy().uri()
                                    + " failed: the source did not reply within 1000 ms (source.timeout)");
            // The getMore, then the cursor's kill (each bounded), plus scheduling on a loaded
            // machine.
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2 * 1_000 + 1_500);
        }
    }

    @Test
    void aSnapshotCursorMayLiveLongerThanTheTimeout() throws Exception {
        int read = 0;
        long start = System.nanoTime();
        try (SnapshotSplitReader reader = reader(1_000)) {
            while (read < DOCUMENTS) {
                read += count(reader.fetch());
                Thread.sleep(60); // as a back-pressured task would: the cursor outlives the timeout
            }
        }
        assertThat(read).isEqualTo(DOCUMENTS);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThan(1_500);
    }

    private static int count(RecordsWithSplitIds<SnapshotRecord> records) {
        int n = 0;
        while (records.nextSplit() != null) {
            while (records.nextRecordFromSplit() != null) {
                n++;
            }
        }
        return n;
    }
}
