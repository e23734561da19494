package io.mongoresume.benchmarks;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.WriteModel;
import io.mongoresume.connectors.common.read.DocumentSize;
import io.mongoresume.connectors.common.read.IdOrderedCursor;
import org.bson.RawBsonDocument;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The copy limit of the server pair: a plain driver loop, {@code find} sorted by {@code _id} into
 * {@code insertMany} batches of 1000, raw BSON end to end (no decoding), on one thread or on
 * several threads that each copy an even share of the {@code _id} range. The upsert variant sends
 * the write our sink must send (replace by {@code _id}, upsert), which separates the cost of that
 * write from the cost of our pipeline. Cursor batches hold about 8 MiB of the collection's average
 * document, at most 1000, as our reader's do; a reply the driver refuses as too large is read again
 * after the last {@code _id} with smaller batches.
 */
final class RawCopy {

    static final int BATCH = 1000;
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);

    private RawCopy() {}

    /** Copies the collection and returns the elapsed seconds. */
    static double copy(
            String sourceUri, String targetUri, String targetDb, int threads, boolean upsert)
            throws Exception {
        try (MongoClient source = MongoClients.create(sourceUri);
                MongoClient target = MongoClients.create(targetUri)) {
            MongoCollection<RawBsonDocument> from =
                    source.getDatabase(DataSet.DATABASE)
                            .getCollection(DataSet.COLLECTION, RawBsonDocument.class);
            MongoCollection<RawBsonDocument> to =
                    target.getDatabase(targetDb)
                            .getCollection(DataSet.COLLECTION, RawBsonDocument.class);
            int batchSize =
                    DocumentSize.measure(source.getDatabase(DataSet.DATABASE), DataSet.COLLECTION)
                            .batchSize(BATCH);
            long start = System.nanoTime();
            if (threads == 1) {
                copyRange(from, to, new org.bson.Document(), batchSize, upsert);
            } else {
                long min = firstId(from, Sorts.ascending("_id"));
                long max = firstId(from, Sorts.descending("_id"));
                long step = (max - min) / threads + 1;
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                try {
                    List<Future<?>> parts = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        long lo = min + t * step;
                        long hi = lo + step;
                        Bson range = Filters.and(Filters.gte("_id", lo), Filters.lt("_id", hi));
                        parts.add(pool.submit(() -> copyRange(from, to, range, batchSize, upsert)));
                    }
                    for (Future<?> part : parts) {
                        part.get();
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /** The {@code _id} of the first document in {@code order}: the lowest or the highest. */
    private static long firstId(MongoCollection<RawBsonDocument> from, Bson order) {
        return from.find().sort(order).limit(1).first().getInt64("_id").getValue();
    }

    private static Void copyRange(
            MongoCollection<RawBsonDocument> from,
            MongoCollection<RawBsonDocument> to,
            Bson filter,
            int batchSize,
            boolean upsert) {
        List<RawBsonDocument> batch = new ArrayList<>(BATCH);
        try (IdOrderedCursor cursor =
                IdOrderedCursor.resumingAfter(
                        (after, size) ->
                                from.find(
                                                after == null
                                                        ? filter
                                                        : Filters.and(
                                                                filter, Filters.gt("_id", after)))
                                        .sort(Sorts.ascending("_id"))
                                        .batchSize(size)
                                        .iterator(),
                        batchSize,
                        (reply, was, now) ->
                                System.err.printf(
                                        "raw copy: the driver refused %s; batches of %d%n",
                                        reply, now))) {
            while (cursor.hasNext()) {
                batch.add(cursor.next());
                if (batch.size() == BATCH) {
                    write(to, batch, upsert);
                    batch = new ArrayList<>(BATCH);
                }
            }
        }
        if (!batch.isEmpty()) {
            write(to, batch, upsert);
        }
        return null;
    }

    /**
     * insertMany, or the write our sink sends: an ordered bulk of replaceOne({_id}, doc, upsert).
     */
    private static void write(
            MongoCollection<RawBsonDocument> to, List<RawBsonDocument> batch, boolean upsert) {
        if (!upsert) {
            to.insertMany(batch);
            return;
        }
        List<WriteModel<RawBsonDocument>> models = new ArrayList<>(batch.size());
        for (RawBsonDocument doc : batch) {
            models.add(new ReplaceOneModel<>(Filters.eq("_id", doc.get("_id")), doc, UPSERT));
        }
        to.bulkWrite(models, new BulkWriteOptions().ordered(true));
    }
}
