package io.mongoresume.connectors.cdc.reader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.mongoresume.connectors.cdc.offset.StartPosition;
import io.mongoresume.connectors.cdc.split.ChangeStreamSplit;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.read.RefusedReply;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.apache.flink.util.Preconditions.checkArgument;

/**
 * Reads the change streams of all splits assigned to this subtask, one cursor per collection, in
 * turns: each {@link #fetch()} takes from every stream what its cursor holds or one server round
 * trip brings (at most {@code fetchSize} entries), so collections progress together and entries are
 * handed over as they arrive. Every {@code tryNext} waits at most {@link #MAX_AWAIT_MILLIS} on the
 * server (less when there are many streams, so one round over idle streams stays short), which
 * bounds how long {@link #wakeUp()} takes.
 *
 * <p>Resume ladder on (re)open: {@code startAfter(token)} when a token is known, else {@code
 * startAtOperationTime(time)} (inclusive). Never {@code resumeAfter}: it cannot pass an invalidate,
 * and the embedded test server breaks it after a drop. After an {@code invalidate} (drop, rename)
 * the stream reopens {@code startAfter} the invalidate's token, so a re-created collection
 * continues.
 *
 * <p>Large events: the streams leave out {@code updateDescription} (only the looked-up document is
 * used), so an update event is about its document's size, not up to twice that, and stays within
 * MongoDB's 16 MB limit for one event. A reply the driver refuses for its length ({@link
 * RefusedReply}: servers that put a whole batch into one reply, where a real {@code mongod} stops
 * at 16 MiB) closes the cursor; the stream reopens after the last entry handed over with half the
 * batch, down to 1, so no event is skipped or repeated, and returns to {@code fetchSize} once it
 * has caught up or read {@code fetchSize} entries in the smaller batches. An event that cannot be
 * delivered even alone fails the job with a {@link ChangeEventTooLargeException}.
 */
@Internal
public final class ChangeStreamSplitReader
        implements SplitReader<ChangeStreamRecord, ChangeStreamSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeStreamSplitReader.class);

    /** Longest server-side wait of one {@code tryNext} on an idle stream. */
    static final long MAX_AWAIT_MILLIS = 100;

    /** Shortest such wait, however many streams there are. */
    private static final long MIN_AWAIT_MILLIS = 10;

    /**
     * When no stream has anything, how long one fetch keeps polling before it returns empty-handed.
     */
    private static final long MAX_IDLE_FETCH_MILLIS = 500;

    /** Pause between idle rounds, for servers that answer an empty {@code tryNext} at once. */
    private static final long IDLE_PAUSE_MILLIS = 20;

    private final MongoConnectionOptions connection;
    private final boolean fullDocument;
    private final int fetchSize;

    /**
     * Where a fresh start begins, to name its origin when a stream cannot start there; null if
     * unknown.
     */
    @Nullable private final StartPosition start;

    private final List<ChangeStreamCursor> streams = new ArrayList<>();
    private final Object idleLock = new Object();
    private volatile boolean wokenUp;

    @Nullable private MongoClient client;
    private int nextStream;

    /**
     * @param start the source's start position of a fresh start; a stream still at that position
     *     names {@link StartPosition#origin()} when the source refuses it
     */
    public ChangeStreamSplitReader(
            MongoConnectionOptions connection,
            boolean fullDocument,
            int fetchSize,
            @Nullable StartPosition start) {
        checkArgument(fetchSize > 0, "fetchSize must be positive");
        this.connection = connection;
        this.fullDocument = fullDocument;
        this.fetchSize = fetchSize;
        this.start = start;
    }

    @Override
    public RecordsWithSplitIds<ChangeStreamRecord> fetch() throws IOException {
        RecordsBySplits.Builder<ChangeStreamRecord> records = new RecordsBySplits.Builder<>();
        long deadline = System.currentTimeMillis() + MAX_IDLE_FETCH_MILLIS;
        while (true) {
            int produced = 0;
            for (int i = 0; i < streams.size() && !wokenUp; i++) {
                ChangeStreamCursor stream = streams.get(nextStream++ % streams.size());
                produced += readSome(stream, records);
            }
            if (produced > 0
                    || wokenUp
                    || streams.isEmpty()
                    || System.currentTimeMillis() >= deadline) {
                wokenUp = false;
                return records.build();
            }
            synchronized (idleLock) {
                if (!wokenUp) {
                    try {
                        idleLock.wait(IDLE_PAUSE_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return records.build();
                    }
                }
            }
        }
    }

    /** Up to {@code fetchSize} entries of one stream; returns how many records were added. */
    private int readSome(
            ChangeStreamCursor stream, RecordsBySplits.Builder<ChangeStreamRecord> records)
            throws IOException {
        String splitId = stream.split.splitId();
        int added = 0;
        while (added < fetchSize && !wokenUp) {
            if (added > 0 && stream.cursor != null && stream.cursor.available() == 0) {
                // Hand over what one server round trip brought before asking for more: under a
                // steady
                // trickle every getMore returns something, and collecting up to fetchSize first
                // would hold
                // the first entries back for many round trips (measured: ~0.3 s median at 100
                // changes/s).
                return added;
            }
            RawBsonDocument entry;
            try {
                if (stream.cursor == null) {
                    stream.open();
                }
                entry = stream.cursor.tryNext();
                stream.opening = false;
            } catch (MongoException e) {
                stream.closeQuietly();
                RefusedReply refused = RefusedReply.of(e);
                if (refused == null) {
                    throw failure(stream, e);
                }
                stream.shrinkBatch(refused, e);
                continue; // reopens after the last entry handed over, in smaller batches
            }
            if (entry == null) {
                // Real MongoDB moves the post-batch resume token along an idle stream: keep it, so
                // the
                // resume point stays inside the oplog window even when nothing changes.
                BsonDocument token = stream.cursor.getResumeToken();
                if (token != null && !token.equals(stream.token)) {
                    stream.token = token;
                    records.add(splitId, ChangeStreamRecord.positionOnly(token, null));
                    added++;
                }
                if (!stream.caughtUp) {
                    stream.caughtUp = true;
                    records.add(splitId, ChangeStreamRecord.caughtUpMarker());
                    added++;
                }
                stream.restoreBatch();
                return added;
            }
            stream.caughtUp = false;
            added += handle(stream, entry, records);
            if (stream.cursor == null) {
                return added; // invalidated: reopen on the next round
            }
            stream.countDelivered();
        }
        return added;
    }

    private int handle(
            ChangeStreamCursor stream,
            RawBsonDocument entry,
            RecordsBySplits.Builder<ChangeStreamRecord> records) {
        ChangeStreamSplit split = stream.split;
        ChangeEventMapper.Mapped mapped =
                ChangeEventMapper.map(split.database(), split.collection(), entry);
        BsonDocument token =
                mapped.resumeToken() != null
                        ? mapped.resumeToken()
                        : stream.cursor.getResumeToken();
        if (token != null) {
            stream.token = token;
        }
        if (mapped.clusterTime() != null) {
            stream.time = mapped.clusterTime();
        }
        switch (mapped.action()) {
            case EMIT:
                records.add(
                        split.splitId(),
                        ChangeStreamRecord.event(mapped.event(), token, mapped.clusterTime()));
                break;
            case EMIT_IF_OWN_DROP:
                if (isOwnDrop(stream, mapped.clusterTime())) {
                    records.add(
                            split.splitId(),
                            ChangeStreamRecord.event(mapped.event(), token, mapped.clusterTime()));
                } else {
                    LOG.info(
                            "Ignoring a drop event without namespace on the stream of {}: it was another"
                                    + " collection's drop",
                            split.splitId());
                    records.add(
                            split.splitId(),
                            ChangeStreamRecord.positionOnly(token, mapped.clusterTime()));
                }
                break;
            case INVALIDATE:
                LOG.info(
                        "Change stream of {} was invalidated (collection dropped or renamed); reopening it after"
                                + " the invalidate event",
                        split.splitId());
                records.add(
                        split.splitId(),
                        ChangeStreamRecord.positionOnly(token, mapped.clusterTime()));
                stream.closeQuietly();
                break;
            default:
                records.add(
                        split.splitId(),
                        ChangeStreamRecord.positionOnly(token, mapped.clusterTime()));
        }
        return 1;
    }

    /**
     * Whether a drop event that lacks {@code ns} (only the embedded test server sends those; it
     * also sends other collections' drops on every stream) drops this stream's collection: the
     * oplog entry at the event's cluster time names the dropped collection; without access to the
     * oplog, the collection is taken as dropped if it no longer exists.
     */
    private boolean isOwnDrop(ChangeStreamCursor stream, @Nullable BsonTimestamp clusterTime) {
        String collection = stream.split.collection();
        try {
            if (clusterTime != null) {
                BsonDocument oplogEntry =
                        client().getDatabase("local")
                                .getCollection("oplog.rs", BsonDocument.class)
                                .find(
                                        Filters.and(
                                                Filters.eq("ts", clusterTime),
                                                Filters.eq("op", "c")))
                                .first();
                if (oplogEntry != null && oplogEntry.isDocument("o")) {
                    BsonValue dropped = oplogEntry.getDocument("o").get("drop");
                    if (dropped != null) {
                        return new BsonString(collection).equals(dropped);
                    }
                }
            }
        } catch (MongoException e) {
            LOG.debug("Cannot read the oplog to place a drop event: {}", e.toString());
        }
        MongoDatabase database = client().getDatabase(stream.split.database());
        for (String name : database.listCollectionNames()) {
            if (name.equals(collection)) {
                return false;
            }
        }
        return true;
    }

    private IOException failure(ChangeStreamCursor stream, MongoException e) {
        if (ChangeStreamErrors.isEventTooLarge(e)) {
            throw OversizedChangeEvent.tooLargeForServer(
                    stream.split.splitId(),
                    stream.where(),
                    e,
                    stream.locateEvent(OversizedChangeEvent.eventToken(e)));
        }
        ChangeStreamPositionLostException fatal =
                ChangeStreamErrors.classify(
                        e,
                        stream.split.splitId(),
                        stream.token,
                        stream.time,
                        stream.opening,
                        stream.startOrigin());
        if (fatal != null) {
            throw fatal;
        }
        return new IOException(
                "Reading the change stream of "
                        + stream.split.splitId()
                        + " failed at "
                        + stream.describePosition()
                        + ": "
                        + MongoConnectionOptions.mask(e.getMessage()),
                e);
    }

    @Override
    public void handleSplitsChanges(SplitsChange<ChangeStreamSplit> splitsChanges) {
        if (!(splitsChanges instanceof SplitsAddition)) {
            throw new UnsupportedOperationException(
                    "Unsupported split change: " + splitsChanges.getClass().getSimpleName());
        }
        for (ChangeStreamSplit split : splitsChanges.splits()) {
            LOG.info(
                    "Reading the change stream of {} from {}",
                    split.splitId(),
                    split.describePosition());
            streams.add(
                    new ChangeStreamCursor(
                            split,
                            this::client,
                            fullDocument,
                            fetchSize,
                            start,
                            this::awaitMillis));
        }
    }

    @Override
    public void wakeUp() {
        wokenUp = true;
        synchronized (idleLock) {
            idleLock.notifyAll();
        }
    }

    @Override
    public void close() {
        for (ChangeStreamCursor stream : streams) {
            stream.closeQuietly();
        }
        streams.clear();
        if (client != null) {
            client.close();
            client = null;
        }
    }

    /**
     * The per-stream server wait: one round over all idle streams takes about {@link
     * #MAX_AWAIT_MILLIS}.
     */
    private long awaitMillis() {
        return Math.max(MIN_AWAIT_MILLIS, MAX_AWAIT_MILLIS / Math.max(1, streams.size()));
    }

    private MongoClient client() {
        if (client == null) {
            client = connection.createClient();
        }
        return client;
    }
}
