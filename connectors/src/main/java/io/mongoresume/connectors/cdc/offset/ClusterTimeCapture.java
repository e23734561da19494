package io.mongoresume.connectors.cdc.offset;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.annotation.VisibleForTesting;

import com.mongodb.MongoException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import io.mongoresume.connectors.cdc.offset.CapturedTime.Source;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Asks the source for its current cluster time: the start position of a full+incremental migration,
 * whose streams must begin at or before the snapshot's first read, and the time of each discovery
 * poll. Starting earlier is harmless (the merge tolerates replays); starting late loses changes.
 * The ladder, best first:
 *
 * <ol>
 *   <li>the cluster time in the post-batch resume token of a change stream opened on the first
 *       collection (exact, server-provided);
 *   <li>the {@code operationTime} or {@code $clusterTime} of a {@code ping} reply (exact,
 *       server-provided);
 *   <li>the server's wall clock ({@code isMaster}/{@code serverStatus} {@code localTime}) minus the
 *       margin;
 *   <li>this machine's clock minus the margin.
 * </ol>
 *
 * Which step was used is logged at INFO (at DEBUG for discovery polls).
 */
@PublicEvolving
public final class ClusterTimeCapture {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterTimeCapture.class);

    /** Where server-level commands run when no one database is the selection's. */
    private static final String ADMIN_DATABASE = "admin";

    /** How long the capture waits for a change stream's first (empty) batch. */
    private static final long CAPTURE_AWAIT_MILLIS = 100;

    private ClusterTimeCapture() {}

    /**
     * {@link #capture(MongoConnectionOptions, String, List, Duration)} with the default 5 s margin.
     */
    public static StartPosition capture(
            MongoConnectionOptions connection, String database, List<String> collections) {
        return capture(connection, database, collections, StartPosition.DEFAULT_SAFETY_MARGIN);
    }

    /**
     * Captures the current position of the source as an operation time that every selected
     * collection's stream can start at.
     *
     * @param collections the selected collections; the first one is used for the change-stream step
     *     (empty: that step is skipped)
     * @param safetyMargin subtracted from time-based (not server-provided) captures
     */
    public static StartPosition capture(
            MongoConnectionOptions connection,
            String database,
            List<String> collections,
            Duration safetyMargin) {
        checkNotNull(connection, "connection");
        checkNotNull(database, "database");
        checkNotNull(collections, "collections");
        try (MongoClient client = connection.createClient()) {
            CapturedTime captured =
                    captureTime(
                            client.getDatabase(database),
                            collections.isEmpty() ? null : collections.get(0),
                            safetyMargin,
                            "change-stream start position of " + database);
            return StartPosition.atOperationTime(captured.time());
        }
    }

    /**
     * Captures the current position of the source as an operation time that every selected
     * namespace's stream can start at, for a selection of either form. Needs no particular database
     * to exist (see {@link #captureTime(MongoClient, CollectionSelection, String, Duration,
     * String)}).
     *
     * @param namespaces the selected namespaces ({@code database.collection}); the first one is
     *     used for the change-stream step (empty: that step is skipped)
     * @param safetyMargin subtracted from time-based (not server-provided) captures
     */
    public static StartPosition capture(
            MongoConnectionOptions connection,
            CollectionSelection selection,
            List<String> namespaces,
            Duration safetyMargin) {
        checkNotNull(connection, "connection");
        checkNotNull(selection, "selection");
        checkNotNull(namespaces, "namespaces");
        try (MongoClient client = connection.createClient()) {
            CapturedTime captured =
                    captureTime(
                            client,
                            selection,
                            namespaces.isEmpty() ? null : namespaces.get(0),
                            safetyMargin,
                            "change-stream start position of " + selection);
            return StartPosition.atOperationTime(captured.time());
        }
    }

    /**
     * Runs the ladder against one database. Never fails: the last step needs no server.
     *
     * @param collection where to open the probing change stream; null skips that step
     * @param purpose what the time is for, in the INFO log line
     */
    @Internal
    public static CapturedTime captureTime(
            MongoDatabase database,
            @Nullable String collection,
            Duration safetyMargin,
            String purpose) {
        return captureTime(database, collection, database, safetyMargin, purpose);
    }

    /**
     * Runs the ladder for a selection of either form: the probing change stream on the namespace's
     * collection; the commands against the selection's {@link CollectionSelection#homeDatabase home
     * database} as before selections spanned databases, or, across databases, against {@value
     * #ADMIN_DATABASE}, which answers them whatever databases exist. Never fails: the last step
     * needs no server.
     *
     * @param namespace where to open the probing change stream ({@code database.collection}); null
     *     skips that step
     * @param purpose what the time is for, in the INFO log line
     */
    @Internal
    public static CapturedTime captureTime(
            MongoClient client,
            CollectionSelection selection,
            @Nullable String namespace,
            Duration safetyMargin,
            String purpose) {
        String home = selection.homeDatabase();
        MongoDatabase commands = client.getDatabase(home != null ? home : ADMIN_DATABASE);
        if (namespace == null) {
            return captureTime(commands, null, commands, safetyMargin, purpose);
        }
        return captureTime(
                client.getDatabase(CollectionSelection.databaseOf(namespace)),
                CollectionSelection.collectionOf(namespace),
                commands,
                safetyMargin,
                purpose);
    }

    private static CapturedTime captureTime(
            MongoDatabase streamDatabase,
            @Nullable String collection,
            MongoDatabase commandDatabase,
            Duration safetyMargin,
            String purpose) {
        StartPosition.checkMargin(safetyMargin);
        CapturedTime captured = null;
        if (collection != null) {
            captured = fromChangeStream(streamDatabase, collection);
        }
        if (captured == null) {
            captured = fromCommandReply(commandDatabase);
        }
        if (captured == null) {
            captured = fromServerClock(commandDatabase, safetyMargin);
        }
        if (captured == null) {
            captured =
                    new CapturedTime(
                            ChangeStreamOffset.atSecond(Instant.now().minus(safetyMargin)),
                            Source.CLIENT_TIME);
        }
        // Start positions matter to the operator (issue: say which source was used); the discovery
        // poll
        // repeats every few seconds and is logged at DEBUG.
        boolean routine = purpose.startsWith("discovery");
        String margin =
                captured.source().isExact()
                        ? ""
                        : " (minus a safety margin of " + safetyMargin + ")";
        if (routine) {
            LOG.debug("Captured the {}: {}{}", purpose, captured, margin);
        } else {
            LOG.info("Captured the {}: {}{}", purpose, captured, margin);
        }
        return captured;
    }

    @Nullable
    private static CapturedTime fromChangeStream(MongoDatabase database, String collection) {
        MongoCursor<RawBsonDocument> cursor = null;
        try {
            cursor =
                    database.getCollection(collection, RawBsonDocument.class)
                            .watch()
                            .maxAwaitTime(CAPTURE_AWAIT_MILLIS, TimeUnit.MILLISECONDS)
                            .withDocumentClass(RawBsonDocument.class)
                            .cursor();
            if (!(cursor instanceof MongoChangeStreamCursor)) {
                return null;
            }
            MongoChangeStreamCursor<RawBsonDocument> stream =
                    (MongoChangeStreamCursor<RawBsonDocument>) cursor;
            BsonDocument token = stream.getResumeToken();
            if (token == null) {
                stream.tryNext();
                token = stream.getResumeToken();
            }
            BsonTimestamp time = ChangeStreamOffset.clusterTimeOf(token);
            LOG.debug("Post-batch resume token of {}: {}", collection, token);
            return time == null ? null : new CapturedTime(time, Source.CHANGE_STREAM_RESUME_TOKEN);
        } catch (MongoException e) {
            LOG.debug("No change-stream position for {}: {}", collection, e.toString());
            return null;
        } finally {
            if (cursor != null) {
                cursor.close();
            }
        }
    }

    @Nullable
    private static CapturedTime fromCommandReply(MongoDatabase database) {
        try {
            BsonDocument reply =
                    database.runCommand(
                            new BsonDocument("ping", new BsonInt32(1)), BsonDocument.class);
            BsonTimestamp time = operationTimeOf(reply);
            return time == null ? null : new CapturedTime(time, Source.COMMAND_OPERATION_TIME);
        } catch (MongoException e) {
            LOG.debug("No operation time from ping: {}", e.toString());
            return null;
        }
    }

    @Nullable
    private static CapturedTime fromServerClock(MongoDatabase database, Duration safetyMargin) {
        for (String command : new String[] {"isMaster", "serverStatus"}) {
            try {
                BsonDocument reply =
                        database.runCommand(
                                new BsonDocument(command, new BsonInt32(1)), BsonDocument.class);
                BsonValue localTime = reply.get("localTime");
                if (localTime != null && localTime.isDateTime()) {
                    Instant serverNow = Instant.ofEpochMilli(localTime.asDateTime().getValue());
                    return new CapturedTime(
                            ChangeStreamOffset.atSecond(serverNow.minus(safetyMargin)),
                            Source.SERVER_LOCAL_TIME);
                }
            } catch (MongoException e) {
                LOG.debug("No localTime from {}: {}", command, e.toString());
            }
        }
        return null;
    }

    /**
     * {@code operationTime}, else {@code $clusterTime.clusterTime} of a command reply; null if
     * neither.
     */
    @VisibleForTesting
    @Nullable
    static BsonTimestamp operationTimeOf(BsonDocument reply) {
        BsonValue operationTime = reply.get("operationTime");
        if (operationTime != null && operationTime.isTimestamp()) {
            return operationTime.asTimestamp();
        }
        BsonValue clusterTime = reply.get("$clusterTime");
        if (clusterTime != null && clusterTime.isDocument()) {
            BsonValue time = clusterTime.asDocument().get("clusterTime");
            if (time != null && time.isTimestamp()) {
                return time.asTimestamp();
            }
        }
        return null;
    }
}
