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
import io.mongoresume.connectors.common.MongoFailures;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.read.RefusedReply;
import io.mongoresume.connectors.common.read.ReplyBudget;
import io.mongoresume.connectors.snapshot.SnapshotSourceOptions;
import io.mongoresume.connectors.snapshot.query.CollectionReadPlan;
import io.mongoresume.connectors.snapshot.query.CursorTimeouts;
import io.mongoresume.connectors.snapshot.query.IdComparator;
import io.mongoresume.connectors.snapshot.query.RangeScanPlan;
import io.mongoresume.connectors.snapshot.query.SplitQueryMode;
import io.mongoresume.connectors.snapshot.query.TypeAliasSupport;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;
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
import java.util.List;
import java.util.function.Supplier;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Reads the assigned splits one at a time, in {@code _id} order. In {@link SplitQueryMode#BATCHED}
 * mode each query asks for at most {@code batchReadLimit} documents after the last {@code _id} read
 * ({@code $gt}), and a query returning fewer than the limit ends the split; in {@link
 * SplitQueryMode#SINGLE} mode one query reads the rest of the split. {@link SplitQueryMode#AUTO}
 * follows the server's plan for the collection's ranges ({@link RangeScanPlan}), found out once per
 * collection and carried in the split ({@link CollectionReadPlan}).
 *
 * <p>Cursor batches hold about {@link ReplyBudget#BYTES} of documents of the collection's average
 * size, at most {@code fetchSize}. A cursor stays open across {@link #fetch()} calls, and each call
 * returns at most one batch, so the task thread can checkpoint between them. When the driver
 * refuses a reply for its length ({@link RefusedReply}: averages lie, one huge document among small
 * ones), the query is issued again after the last {@code _id} read with half the batch, down to 1;
 * the smaller batch lasts until the query ends. A cursor the server lost (idle timeout) is reopened
 * after the last {@code _id} read as well. {@link #wakeUp()} makes a running fetch return after the
 * document at hand (a single cursor round trip cannot be interrupted, but it is bounded: the client
 * is {@link MongoConnectionOptions#createBoundedClient() bounded}, and each cursor batch must
 * arrive within the source's timeout). Queries read with the configured read concern.
 */
@Internal
public final class SnapshotSplitReader implements SplitReader<SnapshotRecord, SnapshotSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSplitReader.class);

    private final SnapshotSourceOptions options;
    private final Supplier<MongoClient> clients;
    private final ReaderMetrics metrics;
    private final CollectionReadPlans plans;
    private final TypeAliasSupport aliases = new TypeAliasSupport();
    private final Deque<SnapshotSplit> splits = new ArrayDeque<>();

    @Nullable private MongoClient client;
    @Nullable private SnapshotSplit current;
    @Nullable private MongoCollection<RawBsonDocument> collection;
    @Nullable private MongoCursor<RawBsonDocument> cursor;
    @Nullable private CollectionReadPlan plan;

    /** The last {@code _id} fetched from the current split. */
    @Nullable private BsonValue position;

    /**
     * After a restore: ids up to this one were fetched before; reading them again is a re-fetch.
     */
    @Nullable private BsonValue refetchedUpTo;

    private long readByQuery;

    /** The current query's limit; 0 when it reads the rest of the split. */
    private int queryLimit;

    /** The current query's cursor batch size. */
    private int cursorBatch;

    /**
     * After a refused reply: the batch the query is issued again with until it ends; 0 otherwise.
     */
    private int shrunkBatch;

    private volatile boolean wakeUp;

    SnapshotSplitReader(
            SnapshotSourceOptions options, ReaderMetrics metrics, CollectionReadPlans plans) {
        this(options, metrics, plans, options.connection()::createBoundedClient);
    }

    @VisibleForTesting
    SnapshotSplitReader(
            SnapshotSourceOptions options,
            ReaderMetrics metrics,
            CollectionReadPlans plans,
            Supplier<MongoClient> clients) {
        this.options = checkNotNull(options);
        this.metrics = checkNotNull(metrics);
        this.plans = checkNotNull(plans);
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
            List<RawBsonDocument> documents = new ArrayList<>();
            List<BsonValue> ids = new ArrayList<>();
            boolean exhausted = false;
            boolean cursorLost = false;
            while (!wakeUp) {
                RawBsonDocument document;
                try {
                    if (cursor == null) {
                        openQuery(split);
                    }
                    if (documents.size() >= cursorBatch) {
                        break;
                    }
                    if (!cursor.hasNext()) {
                        exhausted = true;
                        break;
                    }
                    document = cursor.next();
                } catch (MongoCursorNotFoundException e) {
                    // The server dropped an idle cursor (e.g. a long back-pressure pause): what was
                    // read
                    // is handed over, and the next fetch queries again after it.
                    LOG.info(
                            "The server lost the cursor of snapshot split {}; querying again after the"
                                    + " last _id read",
                            split.splitId());
                    cursorLost = true;
                    break;
                } catch (MongoException e) {
                    RefusedReply refused = RefusedReply.of(e);
                    if (refused == null || cursorBatch <= 1) {
                        throw e;
                    }
                    closeCursor();
                    shrinkBatch(split, refused);
                    if (documents.isEmpty()) {
                        continue; // nothing to hand over first: query again at once
                    }
                    break; // hand over what was read; the next fetch queries again after it
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
                shrunkBatch = 0;
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

    /** Halves the batch the current query is issued again with. */
    private void shrinkBatch(SnapshotSplit split, RefusedReply refused) {
        int smaller = Math.max(1, cursorBatch / 2);
        String message =
                "Snapshot of {}: the driver refused {} for a cursor batch of {} documents; querying"
                        + " again after the last _id read in batches of {} (once per collection and"
                        + " reader at INFO; a real mongod caps a batch at 16 MiB, this server does not)";
        if (plans.firstShrink(split.namespace())) {
            LOG.info(message, split.namespace(), refused, cursorBatch, smaller);
        } else {
            LOG.debug(message, split.namespace(), refused, cursorBatch, smaller);
        }
        shrunkBatch = smaller;
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
        SnapshotSplit split = current;
        plan = plans.planOf(split, () -> probePlan(split));
        shrunkBatch = 0;
        LOG.debug("Reading {}", current);
        return true;
    }

    /** For a split restored without a plan: asks the server, once per collection and reader. */
    private CollectionReadPlan probePlan(SnapshotSplit split) {
        CollectionReadPlan probed =
                CollectionReadPlan.probe(
                        checkNotNull(client).getDatabase(split.database()),
                        split.collection(),
                        aliases.idFilter(split.bracket(), split.lower(), split.upper(), null));
        LOG.info(
                "Snapshot of {} (restored splits without a read plan): {}",
                split.namespace(),
                probed.describe(
                        options.splitQueryMode(), options.batchReadLimit(), options.fetchSize()));
        return probed;
    }

    private void openQuery(SnapshotSplit split) {
        MongoCollection<RawBsonDocument> coll = checkNotNull(collection);
        CollectionReadPlan readPlan = checkNotNull(plan);
        readByQuery = 0;
        queryLimit =
                split.clientFiltered()
                        ? 0
                        : readPlan.queryLimit(options.splitQueryMode(), options.batchReadLimit());
        cursorBatch = shrunkBatch > 0 ? shrunkBatch : readPlan.cursorBatchSize(options.fetchSize());
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
                                                    .batchSize(cursorBatch)
                                                    .noCursorTimeout(options.noCursorTimeout()),
                                            coll);
                            if (queryLimit > 0) {
                                find = find.limit(queryLimit);
                            }
                            return find.iterator();
                        });
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
