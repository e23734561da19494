package io.mongoresume.connectors.cdc.reader;

import com.mongodb.MongoException;
import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.changestream.FullDocument;
import io.mongoresume.connectors.cdc.OplogProbe;
import io.mongoresume.connectors.cdc.offset.ChangeStreamOffset;
import io.mongoresume.connectors.cdc.offset.StartPosition;
import io.mongoresume.connectors.cdc.split.ChangeStreamSplit;
import io.mongoresume.connectors.common.read.RefusedReply;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonTimestamp;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One collection's change-stream cursor of a {@link ChangeStreamSplitReader} and the position the
 * reader has reached (ahead of the emitted one): the resume ladder, the batch size after a refused
 * reply, and where an event that cannot be delivered sits in the oplog.
 */
final class ChangeStreamCursor {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeStreamSplitReader.class);

    final ChangeStreamSplit split;
    @Nullable BsonDocument token;
    @Nullable BsonTimestamp time;
    @Nullable MongoChangeStreamCursor<RawBsonDocument> cursor;
    boolean opening;
    boolean caughtUp;

    private final Supplier<MongoClient> client;
    private final boolean fullDocument;
    private final int fetchSize;
    @Nullable private final StartPosition start;
    private final LongSupplier awaitMillis;

    /** The cursor's batch size: {@code fetchSize}, less after a refused reply. */
    private int batchSize;

    /** Entries read since the batch was last made smaller. */
    private int readInSmallerBatches;

    private boolean shrinkLogged;

    /**
     * @param client the reader's client, opened on first use
     * @param start the fresh start's position, to name its origin while the stream is still there
     * @param awaitMillis the per-stream server wait, which depends on how many streams the reader
     *     has
     */
    ChangeStreamCursor(
            ChangeStreamSplit split,
            Supplier<MongoClient> client,
            boolean fullDocument,
            int fetchSize,
            @Nullable StartPosition start,
            LongSupplier awaitMillis) {
        this.split = split;
        this.token = split.resumeToken();
        this.time = split.operationTime();
        this.client = client;
        this.fullDocument = fullDocument;
        this.fetchSize = fetchSize;
        this.batchSize = fetchSize;
        this.start = start;
        this.awaitMillis = awaitMillis;
    }

    void open() {
        opening = true;
        // updateDescription is never used and can make an update event twice its document's size.
        List<BsonDocument> pipeline =
                List.of(
                        new BsonDocument(
                                "$project",
                                new BsonDocument("updateDescription", new BsonInt32(0))));
        ChangeStreamIterable<RawBsonDocument> iterable =
                client.get()
                        .getDatabase(split.database())
                        .getCollection(split.collection(), RawBsonDocument.class)
                        .watch(pipeline)
                        .batchSize(batchSize)
                        .maxAwaitTime(awaitMillis.getAsLong(), TimeUnit.MILLISECONDS);
        if (fullDocument) {
            iterable = iterable.fullDocument(FullDocument.UPDATE_LOOKUP);
        }
        if (token != null) {
            iterable = iterable.startAfter(token);
        } else if (time != null) {
            iterable = iterable.startAtOperationTime(time);
        }
        // Decoded as raw BSON and mapped by ChangeEventMapper: the driver's ChangeStreamDocument
        // decoding
        // trips over entries that lack fields MongoDB always sends.
        MongoCursor<RawBsonDocument> raw =
                iterable.withDocumentClass(RawBsonDocument.class).cursor();
        if (!(raw instanceof MongoChangeStreamCursor)) {
            raw.close();
            throw new IllegalStateException(
                    "The MongoDB driver returned no change-stream cursor: "
                            + raw.getClass().getName());
        }
        cursor = (MongoChangeStreamCursor<RawBsonDocument>) raw;
        // The first tryNext still belongs to opening: the server checks the start point lazily.
        LOG.debug("Opened the change stream of {} at {}", split.splitId(), describePosition());
    }

    String describePosition() {
        return split.withPosition(token, time).describePosition();
    }

    /**
     * Where the next entry comes from: "after resume token ...", or "at or after operation time
     * ...".
     */
    String where() {
        return (token != null ? "after " : "at or after ") + describePosition();
    }

    /**
     * After a refused reply (the cursor is closed): halves the batch the stream reopens with.
     *
     * @throws ChangeEventTooLargeException when the batch held the next entry alone
     */
    void shrinkBatch(RefusedReply refused, MongoException error) {
        if (batchSize == 1) {
            throw OversizedChangeEvent.tooLargeForReply(
                    split.splitId(), where(), refused, error, locateEvent(null));
        }
        int smaller = Math.max(1, batchSize / 2);
        String message =
                "Change stream of {}: the driver refused {} for a batch of {} events; reading again {} in"
                        + " batches of {} (logged once per collection and reader at INFO; a real mongod"
                        + " caps a batch at 16 MiB, this server does not)";
        if (shrinkLogged) {
            LOG.debug(message, split.splitId(), refused, batchSize, where(), smaller);
        } else {
            LOG.info(message, split.splitId(), refused, batchSize, where(), smaller);
            shrinkLogged = true;
        }
        batchSize = smaller;
        readInSmallerBatches = 0;
    }

    /**
     * After an entry was handed over: back to full batches once {@code fetchSize} came in smaller
     * ones.
     */
    void countDelivered() {
        if (batchSize < fetchSize
                && ++readInSmallerBatches >= fetchSize
                && cursor.available() == 0) {
            restoreBatch();
        }
    }

    /** Reopens with {@code fetchSize} next time, if the batch was made smaller. */
    void restoreBatch() {
        if (batchSize < fetchSize) {
            LOG.debug(
                    "Change stream of {}: back to batches of {} {}",
                    split.splitId(),
                    fetchSize,
                    where());
            batchSize = fetchSize;
            closeQuietly();
        }
    }

    /** The start position's origin while the stream is still at that position, else null. */
    @Nullable
    String startOrigin() {
        if (start == null || start.origin() == null) {
            return null;
        }
        boolean atStart =
                token != null
                        ? token.equals(start.resumeToken())
                        : time != null && time.equals(start.operationTime());
        return atStart ? start.origin() : null;
    }

    /**
     * Best effort: the oplog entry of the event the server named by its token, else of the first
     * change of this collection after the stream's position; null when unknown or the oplog cannot
     * be read.
     */
    @Nullable
    OplogProbe.Entry locateEvent(@Nullable BsonDocument eventToken) {
        String namespace = split.database() + '.' + split.collection();
        try {
            BsonTimestamp exact = ChangeStreamOffset.clusterTimeOf(eventToken);
            if (exact != null) {
                return OplogProbe.changeAt(client.get(), namespace, exact);
            }
            BsonTimestamp after = new ChangeStreamOffset(token, time).timestamp();
            return after == null
                    ? null
                    : OplogProbe.firstChangeAfter(client.get(), namespace, after, token == null);
        } catch (MongoException e) {
            LOG.debug("Cannot read the oplog to name the event of {}: {}", namespace, e.toString());
            return null;
        }
    }

    void closeQuietly() {
        if (cursor != null) {
            try {
                cursor.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing the change stream of {} failed", split.splitId(), e);
            }
            cursor = null;
        }
    }
}
