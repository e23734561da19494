package io.mongoresume.connectors.snapshot.reader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;

import com.mongodb.MongoCursorNotFoundException;
import com.mongodb.MongoException;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Sorts;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.mongoresume.connectors.common.MongoFailures;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.snapshot.SnapshotSourceOptions;
import io.mongoresume.connectors.snapshot.query.CursorTimeouts;
import io.mongoresume.connectors.snapshot.query.IdComparator;
import io.mongoresume.connectors.snapshot.query.RangeScanPlan;
import io.mongoresume.connectors.snapshot.query.SplitQueryMode;
import io.mongoresume.connectors.snapshot.query.TypeAliasSupport;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Reads the assigned splits one at a time, in {@code _id} order. In {@link SplitQueryMode#BATCHED}
 * mode each query asks for at most {@code batchReadLimit} documents after the last {@code _id} read
 * ({@code $gt}), and a query returning fewer than the limit ends the split; in {@link
 * SplitQueryMode#SINGLE} mode one query reads the rest of the split. {@link SplitQueryMode#AUTO}
 * picks per collection from the server's plan for the range ({@link RangeScanPlan}). Cursor batches
 * are {@code fetchSize}; a cursor stays open across {@link #fetch()} calls, and each call returns at
 * most {@code fetchSize} documents, so the task thread can checkpoint between them. A cursor the
 * server lost (idle timeout) is reopened after the last {@code _id} read. {@link #wakeUp()} makes a
 * running fetch return after the document at hand (a single cursor round trip cannot be
 * interrupted, but it is bounded: the client is {@link MongoConnectionOptions#createBoundedClient()
 * bounded}, and each cursor batch must arrive within the source's timeout). Queries read with the
 * configured read concern.
 */
@Internal
public final class SnapshotSplitReader implements SplitReader<SnapshotRecord, SnapshotSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSplitReader.class);

    private final SnapshotSourceOptions options;
    private final Supplier<MongoClient> clients;
    private final ReaderMetrics metrics;
    private final TypeAliasSupport aliases = new TypeAliasSupport();
    private final Deque<SnapshotSplit> splits = new ArrayDeque<>();

    @Nullable private MongoClient client;
    @Nullable private SnapshotSplit current;
    @Nullable private MongoCollection<RawBsonDocument> collection;
    @Nullable private MongoCursor<RawBsonDocument> cursor;

    /** The last {@code _id} fetched from the current split. */
    @Nullable private BsonValue position;

    /**
     * After a restore: ids up to this one were fetched before; reading them again is a re-fetch.
     */
    @Nullable private BsonValue refetchedUpTo;

    private long readByQuery;

    /** The current query's limit; 0 when it reads the rest of the split. */
    private int queryLimit;

    /** Per namespace: the limit its range queries get (0: none), decided once per reader. */
    private final Map<String, Integer> queryLimits = new HashMap<>();

    private volatile boolean wakeUp;

    public SnapshotSplitReader(SnapshotSourceOptions options, ReaderMetrics metrics) {
        this(options, metrics, options.connection()::createBoundedClient);
    }

    @VisibleForTesting
    SnapshotSplitReader(
            SnapshotSourceOptions options, ReaderMetrics metrics, Supplier<MongoClient> clients) {
        this.options = checkNotNull(options);
        this.metrics = checkNotNull(metrics);
        this.clients = checkNotNull(clients);
    }

    @Override
    public RecordsWithSplitIds<SnapshotRecord> fetch() throws IOException {
        wakeUp = false;
        RecordsBySplits.Builder<SnapshotRecord> result = new RecordsBySplits.Builder<>();
        if (current == null && !startNextSplit()) {
            return result.build();
        }
        SnapshotSplit split = checkNotNull(current);
        try {
            if (cursor == null) {
                openQuery(split);
            }
            List<RawBsonDocument> documents = new ArrayList<>();
            List<BsonValue> ids = new ArrayList<>();
            boolean exhausted = false;
            boolean cursorLost = false;
            while (documents.size() < options.fetchSize() && !wakeUp) {
                RawBsonDocument document;
                try {
                    if (!cursor.hasNext()) {
                        exhausted = true;
                        break;
                    }
                    document = cursor.next();
                } catch (MongoCursorNotFoundException e) {
                    // The server dropped an idle cursor (e.g. a long back-pressure pause): what was read
                    // is handed over, and the next fetch queries again after it.
                    LOG.info(
                            "The server lost the cursor of snapshot split {}; querying again after the"
                                    + " last _id read",
                            split.splitId());
                    cursorLost = true;
                    break;
                }
                readByQuery++;
                BsonValue id = document.get("_id");
                if (split.clientFiltered()
                        && position != null
                        && IdComparator.INSTANCE.compare(id, position) <= 0) {
                    continue;
                }
                documents.add(document);
                ids.add(id);
            }
            if (!documents.isEmpty()) {
                addRecords(split, documents, ids, result);
            }
            if (cursorLost) {
                closeCursor();
            } else if (exhausted) {
                closeCursor();
                if (queryLimit == 0 || readByQuery < queryLimit) {
                    result.addFinishedSplit(split.splitId());
                    current = null;
                }
            }
        } catch (MongoException e) {
            closeCursor();
            String why =
                    MongoFailures.isTimeout(e)
                            ? MongoFailures.whatTimedOut(
                                            e,
                                            "the source",
                                            options.connection().timeoutMillis(),
                                            "source.timeout")
                                    + " ("
                                    + MongoFailures.describe(e)
                                    + ")"
                            : MongoConnectionOptions.mask(e.getMessage());
            throw new IOException(
                    "Reading snapshot split "
                            + split.splitId()
                            + " from "
                            + options.connection().maskedUri()
                            + " failed: "
                            + why,
                    e);
        }
        return result.build();
    }

    private void addRecords(
            SnapshotSplit split,
            List<RawBsonDocument> documents,
            List<BsonValue> ids,
            RecordsBySplits.Builder<SnapshotRecord> result) {
        long now = System.currentTimeMillis();
        BsonValue batchLast = ids.get(ids.size() - 1);
        List<SnapshotRecord> records = new ArrayList<>(documents.size());
        long refetched = 0;
        for (int i = 0; i < documents.size(); i++) {
            BsonValue id = ids.get(i);
            if (refetchedUpTo != null) {
                if (IdComparator.INSTANCE.compare(id, refetchedUpTo) <= 0) {
                    refetched++;
                } else {
                    refetchedUpTo = null;
                }
            }
            records.add(new SnapshotRecord(documents.get(i), id, batchLast, now));
        }
        position = batchLast;
        result.addAll(split.splitId(), records);
        metrics.documentsRead(split.namespace()).inc(documents.size());
        if (refetched > 0) {
            metrics.documentsRefetched(split.namespace()).inc(refetched);
        }
    }

    private boolean startNextSplit() {
        current = splits.pollFirst();
        if (current == null) {
            return false;
        }
        position = current.lastId();
        refetchedUpTo = current.fetchedUpToId();
        if (refetchedUpTo != null
                && position != null
                && IdComparator.INSTANCE.compare(refetchedUpTo, position) <= 0) {
            refetchedUpTo = null;
        }
        if (client == null) {
            client = clients.get();
        }
        collection =
                client.getDatabase(current.database())
                        .getCollection(current.collection())
                        .withDocumentClass(RawBsonDocument.class)
                        .withReadConcern(options.readConcern().readConcern());
        LOG.debug("Reading {}", current);
        return true;
    }

    private void openQuery(SnapshotSplit split) {
        MongoCollection<RawBsonDocument> coll = checkNotNull(collection);
        readByQuery = 0;
        queryLimit = split.clientFiltered() ? 0 : queryLimit(coll, split);
        cursor =
                aliases.run(
                        coll,
                        () -> {
                            BsonDocument filter =
                                    split.clientFiltered()
                                            ? new BsonDocument(
                                                    "_id", aliases.typeCondition(split.bracket()))
                                            : aliases.idFilter(
                                                    split.bracket(),
                                                    split.lower(),
                                                    split.upper(),
                                                    position);
                            FindIterable<RawBsonDocument> find =
                                    CursorTimeouts.perBatch(
                                            coll.find(filter)
                                                    .sort(Sorts.ascending("_id"))
                                                    .batchSize(options.fetchSize())
                                                    .noCursorTimeout(options.noCursorTimeout()),
                                            coll);
                            if (queryLimit > 0) {
                                find = find.limit(queryLimit);
                            }
                            return find.iterator();
                        });
    }

    /** The limit of the collection's range queries, from the mode and (auto) the server's plan. */
    private int queryLimit(MongoCollection<RawBsonDocument> coll, SnapshotSplit split) {
        Integer known = queryLimits.get(split.namespace());
        if (known != null) {
            return known;
        }
        SplitQueryMode mode = options.splitQueryMode();
        int limit;
        if (mode == SplitQueryMode.BATCHED) {
            limit = options.batchReadLimit();
        } else if (mode == SplitQueryMode.SINGLE) {
            limit = 0;
        } else {
            RangeScanPlan plan =
                    RangeScanPlan.probe(
                            coll,
                            aliases.idFilter(split.bracket(), split.lower(), split.upper(), position),
                            Sorts.ascending("_id"));
            limit = plan == RangeScanPlan.INDEX_SCAN ? options.batchReadLimit() : 0;
            if (plan == RangeScanPlan.INDEX_SCAN) {
                LOG.info(
                        "Snapshot of {}: _id ranges are index scans; reading in queries of at most {}"
                                + " documents (snapshot.batch-read-limit)",
                        split.namespace(),
                        limit);
            } else {
                LOG.info(
                        "Snapshot of {}: the server {} for an _id range; reading each split with one"
                                + " query, as batches would cost a collection scan each"
                                + " (snapshot.split-query=batched forces batches)",
                        split.namespace(),
                        plan == RangeScanPlan.COLLECTION_SCAN
                                ? "scans the whole collection"
                                : "did not explain its plan");
            }
        }
        queryLimits.put(split.namespace(), limit);
        return limit;
    }

    @Override
    public void handleSplitsChanges(SplitsChange<SnapshotSplit> splitsChange) {
        if (splitsChange instanceof SplitsAddition) {
            splits.addAll(splitsChange.splits());
        }
    }

    @Override
    public void wakeUp() {
        wakeUp = true;
    }

    private void closeCursor() {
        if (cursor != null) {
            try {
                cursor.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing a snapshot cursor failed", e);
            }
            cursor = null;
        }
    }

    @Override
    public void close() {
        closeCursor();
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
