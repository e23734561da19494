package io.mongoresume.connectors.sink.writer;

import org.apache.flink.runtime.metrics.groups.InternalSinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;

import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClients;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.sink.MongoMigrationSink;
import io.mongoresume.connectors.sink.MongoMigrationSinkBuilder;
import io.mongoresume.connectors.sink.SinkTestOptions;
import io.mongoresume.connectors.sink.WritePolicy;
import io.mongoresume.connectors.sink.config.MongoWriteOptions;
import io.mongoresume.connectors.testutils.MongoServerExtension;
import io.mongoresume.connectors.testutils.MongoTestServer;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.mongoresume.connectors.sink.SinkTestEvents.create;
import static io.mongoresume.connectors.sink.SinkTestEvents.delete;
import static io.mongoresume.connectors.sink.SinkTestEvents.doc;
import static io.mongoresume.connectors.sink.SinkTestEvents.drop;
import static io.mongoresume.connectors.sink.SinkTestEvents.insert;
import static io.mongoresume.connectors.sink.SinkTestEvents.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every command the writer sends carries the configured write concern: what the server is asked for
 * is what a failover cannot roll back. Observed with a command listener on the writer's own
 * (bounded) client.
 */
class WriterWriteConcernITCase {

    private static final Set<String> WRITE_COMMANDS =
            Set.of("insert", "update", "delete", "create", "drop");
    private static final BsonDocument MAJORITY_JOURNALED =
            new BsonDocument("w", new BsonString("majority")).append("j", BsonBoolean.TRUE);

    @RegisterExtension
    static final MongoServerExtension SERVER = new MongoServerExtension(MongoTestServer::target);

    private final List<BsonDocument> commands = new CopyOnWriteArrayList<>();
    private MongoMigrationWriter writer;
    private String db;

    @BeforeEach
    void freshDatabase() {
        db = MongoTestServer.freshDatabaseName("concern");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (writer != null) {
            writer.close();
        }
        SERVER.client().getDatabase(db).drop();
    }

    private MongoMigrationWriter writer(MongoMigrationSinkBuilder builder) {
        MongoWriteOptions options =
                SinkTestOptions.of(
                        builder.connection(
                                MongoConnectionOptions.of(SERVER.server().uri(), 5_000)));
        CommandListener listener =
                new CommandListener() {
                    @Override
                    public void commandStarted(CommandStartedEvent event) {
                        if (WRITE_COMMANDS.contains(event.getCommandName())) {
                            commands.add(event.getCommand().clone());
                        }
                    }
                };
        writer =
                new MongoMigrationWriter(
                        options,
                        new TestProcessingTimeService(),
                        InternalSinkWriterMetricGroup.wrap(
                                UnregisteredMetricGroups.createUnregisteredOperatorMetricGroup()),
                        "test writer",
                        MongoClients.create(
                                options.connection()
                                        .boundedClientSettings()
                                        .addCommandListener(listener)
                                        .build()));
        return writer;
    }

    /** The write concern of each command, by command name (the last one of each name). */
    private Map<String, BsonDocument> writeConcernsByCommand() {
        Map<String, BsonDocument> byName = new TreeMap<>();
        for (BsonDocument command : commands) {
            String name = command.getFirstKey();
            byName.put(name, command.getDocument("writeConcern", new BsonDocument()));
        }
        return byName;
    }

    @Test
    void bulkWritesAndDdlAreJournaledOnAMajorityByDefault() throws Exception {
        MongoMigrationWriter writer = writer(MongoMigrationSink.builder().batchMaxWaitMillis(-1));
        writer.write(create(db, "c"), null);
        writer.write(insert(db, "c", doc(1, "v", 1)), null);
        writer.write(update(db, "c", doc(2, "v", 2)), null);
        writer.write(delete(db, "c", 3), null);
        writer.flush(false);
        writer.write(drop(db, "c"), null);

        assertThat(writeConcernsByCommand())
                .containsOnlyKeys("create", "update", "delete", "drop")
                .allSatisfy(
                        (name, concern) ->
                                assertThat(concern).as(name).isEqualTo(MAJORITY_JOURNALED));
    }

    @Test
    void insertsOfInsertIfAbsentCarryTheConfiguredWriteConcern() throws Exception {
        MongoMigrationWriter writer =
                writer(
                        MongoMigrationSink.builder()
                                .batchMaxWaitMillis(-1)
                                .writeConcern(WriteConcern.W1.withJournal(true))
                                .writePolicy(
                                        WritePolicy.builder()
                                                .insert(WritePolicy.InsertPolicy.IGNORE_EXISTING)
                                                .build()));
        // An _id-only document is inserted with insertOne (an insert command), the others with
        // upserts.
        writer.write(insert(db, "c", new BsonDocument("_id", new BsonInt32(1))), null);
        writer.write(insert(db, "c", doc(2, "v", 2)), null);
        writer.write(delete(db, "c", 3), null);
        writer.flush(false);

        BsonDocument w1Journaled =
                new BsonDocument("w", new BsonInt32(1)).append("j", BsonBoolean.TRUE);
        assertThat(writeConcernsByCommand())
                .containsOnlyKeys("insert", "update", "delete")
                .allSatisfy((name, concern) -> assertThat(concern).as(name).isEqualTo(w1Journaled));
        assertThat(SERVER.client().getDatabase(db).getCollection("c").countDocuments())
                .isEqualTo(2);
    }

    @Test
    void unacknowledgedWritesAreRefused() {
        assertThatThrownBy(
                        () ->
                                MongoMigrationSink.builder()
                                        .connection(
                                                MongoConnectionOptions.of(
                                                        SERVER.server().uri(), 5_000))
                                        .writeConcern(WriteConcern.UNACKNOWLEDGED)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unacknowledged");
    }
}
