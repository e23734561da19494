package io.mongoresume.job.precheck;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import io.mongoresume.connectors.cdc.OplogProbe;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.testutils.MongoTestServer;
import io.mongoresume.job.config.InvalidConfigException;
import io.mongoresume.job.plan.MigrationPlan;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A fresh start's cdc.start-at before the oldest change the source still has is refused before the
 * job starts. The embedded server would silently stream from its first entry instead (a real one
 * refuses the stream only when it opens, inside the running job), so the check reads the oplog
 * rather than relying on either.
 */
class StartAtCheckITCase {

    private static MongoTestServer source;
    private static MongoTestServer target;
    private static String database;
    private static BsonTimestamp oldest;

    @BeforeAll
    static void seed() {
        source = MongoTestServer.source();
        target = MongoTestServer.target();
        database = MongoTestServer.freshDatabaseName("start_at");
        try (MongoClient client = MongoConnectionOptions.of(source.uri(), 5000).createClient()) {
            client.getDatabase(database).getCollection("orders").insertOne(new Document("_id", 1));
            oldest = OplogProbe.oldestTime(client);
        } catch (MongoException e) {
            oldest = null; // no readable oplog (a mongos, no rights on local): the server decides
        }
    }

    @AfterAll
    static void stop() {
        source.close();
        target.close();
    }

    @Test
    void aStartAtBeforeTheOplogIsRefusedOnAFreshStartOnly() {
        assumeThat(oldest).as("the source's oplog is readable").isNotNull();
        MigrationPlan config = config("2000-01-01T00:00:00Z");
        assertThatThrownBy(() -> Preflight.check(config, false))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith(
                        "Invalid value '2000-01-01T00:00:00Z' for option 'cdc.start-at': the source no longer has"
                                + " the changes from then.")
                .hasMessageContaining(
                        "Its oplog, the change history that change streams read, begins at "
                                + Instant.ofEpochSecond(oldest.getTime()))
                .hasMessageContaining("would be missing from the target")
                .hasMessageContaining(
                        "Give a cdc.start-at at or after "
                                + Instant.ofEpochSecond(oldest.getTime()))
                .hasMessageContaining("Nothing was written");
        // A resume continues from its savepoint; cdc.start-at is not read.
        assertThat(Preflight.check(config, true)).containsExactly(database + ".orders");
    }

    @Test
    void aStartAtWithinTheOplogIsAccepted() {
        assumeThat(oldest).as("the source's oplog is readable").isNotNull();
        // The oldest entry's own second: cdc.start-at has 1 s resolution.
        String startAt = Instant.ofEpochSecond(oldest.getTime()).toString();
        assertThat(Preflight.check(config(startAt), false)).containsExactly(database + ".orders");
        assertThat(Preflight.check(config(Instant.now().toString()), false))
                .containsExactly(database + ".orders");
    }

    private static MigrationPlan config(String startAt) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("source.uri", source.uri());
        raw.put("source.database", database);
        raw.put("source.collections", "orders");
        raw.put("target.uri", target.uri());
        raw.put("target.database", database + "_copy");
        raw.put("sync.type", "incremental");
        raw.put("cdc.start-at", startAt);
        raw.put("source.timeout", "5 s");
        raw.put("target.timeout", "5 s");
        return MigrationPlan.fromRaw(raw);
    }
}
