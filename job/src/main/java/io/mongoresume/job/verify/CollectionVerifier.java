package io.mongoresume.job.verify;

import com.mongodb.client.MongoCollection;
import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.common.read.DocumentSize;
import io.mongoresume.connectors.common.read.IdOrderedCursor;
import io.mongoresume.connectors.common.read.RefusedReply;
import io.mongoresume.connectors.event.EventKeys;
import io.mongoresume.connectors.snapshot.query.IdComparator;
import io.mongoresume.connectors.snapshot.query.TypeAliasSupport;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import javax.annotation.Nullable;

import java.io.PrintWriter;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Compares one source collection with its target collection. Per {@link TypeBracket}, the source is
 * read once in {@code _id} order and cut into ranges of {@code rangeSize} documents; each range's
 * digest is compared with the digest of the same {@code _id} range on the target (one range query).
 * Only ranges whose digests differ are compared document by document, to name the {@code _id}s.
 * Memory holds one range of source hashes at most, never a collection.
 *
 * <p>Ranges are cut only in brackets whose range filters are exact everywhere (numbers, strings,
 * ObjectIds, dates); other brackets (rare as {@code _id}: embedded documents, binaries, booleans,
 * ...) are compared as one range each.
 *
 * <p>Cursor batches hold about 8 MiB of each side's average document ({@link Side#batchSize}); a
 * reply the driver refuses for its length is read again after the last {@code _id} with smaller
 * batches ({@link IdOrderedCursor}), said once per collection and side.
 */
final class CollectionVerifier {

    private static final Set<TypeBracket> RANGED =
            EnumSet.of(
                    TypeBracket.NUMBER,
                    TypeBracket.STRING,
                    TypeBracket.OBJECT_ID,
                    TypeBracket.DATE);
    private static final BsonDocument BY_ID = new BsonDocument("_id", new BsonInt32(1));
    private static final JsonWriterSettings JSON =
            JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    /** Re-checks of a differing range in live mode before it is reported. */
    static final int LIVE_RECHECKS = 3;

    private final Side source;
    private final Side target;
    private final String database;
    private final String collection;

    /** How reports name the collection: its name, or {@code db.collection} across databases. */
    private final String label;

    private final int rangeSize;
    private final boolean live;
    private final long recheckDelayMs;
    private final PrintWriter progress;
    private final MessageDigest sha256 = RangeDigest.sha256();
    private final Set<String> shrinksReported = new HashSet<>();

    /** A range of one bracket: {@code [lower, upper)}, null bounds open. */
    private record Range(
            TypeBracket bracket, @Nullable BsonValue lower, @Nullable BsonValue upper) {}

    /**
     * One side of the comparison: its collection, the {@code $type} aliases its server understands,
     * and its average document size, which sizes its cursor batches (at most {@code maxBatch}).
     */
    record Side(
            String name,
            MongoCollection<RawBsonDocument> collection,
            TypeAliasSupport aliases,
            DocumentSize documentSize,
            int maxBatch) {

        int batchSize() {
            return documentSize.batchSize(maxBatch);
        }
    }

    CollectionVerifier(
            Side source,
            Side target,
            String database,
            String collection,
            String label,
            int rangeSize,
            boolean live,
            long recheckDelayMs,
            PrintWriter progress) {
        checkArgument(rangeSize > 0, "range size must be positive");
        this.source = checkNotNull(source);
        this.target = checkNotNull(target);
        this.database = checkNotNull(database);
        this.collection = checkNotNull(collection);
        this.label = checkNotNull(label);
        this.rangeSize = rangeSize;
        this.live = live;
        this.recheckDelayMs = recheckDelayMs;
        this.progress = checkNotNull(progress);
    }

    CollectionReport verify(int maxReport) throws InterruptedException {
        CollectionReport report = new CollectionReport(label, maxReport);
        progress.printf(
                "verify %s: cursor batches of %d on the source (average document %s), %d on the target"
                        + " (average document %s)%n",
                label,
                source.batchSize(),
                source.documentSize(),
                target.batchSize(),
                target.documentSize());
        long estimate =
                Math.max(
                        source.collection().estimatedDocumentCount(),
                        target.collection().estimatedDocumentCount());
        long estimatedRanges = Math.max(1, (estimate + rangeSize - 1) / rangeSize);
        List<Range> differing = new ArrayList<>();
        for (TypeBracket bracket : TypeBracket.values()) {
            if (!exists(source, bracket) && !exists(target, bracket)) {
                continue;
            }
            if (!RANGED.contains(bracket)) {
                compareRange(new Range(bracket, null, null), null, report, differing);
                progress(report, estimatedRanges);
                continue;
            }
            BsonValue lower = null;
            RangeDigest digest = new RangeDigest();
            try (IdOrderedCursor cursor = cursor(source, new Range(bracket, null, null))) {
                while (cursor.hasNext()) {
                    RawBsonDocument doc = cursor.next();
                    if (digest.count() == rangeSize) {
                        BsonValue upper = doc.get("_id");
                        compareRange(new Range(bracket, lower, upper), digest, report, differing);
                        progress(report, estimatedRanges);
                        lower = upper;
                        digest = new RangeDigest();
                    }
                    digest.add(RangeDigest.hash(sha256, doc.getByteBuffer().asNIO()));
                }
            }
            compareRange(new Range(bracket, lower, null), digest, report, differing);
            progress(report, estimatedRanges);
        }
        report.differingRanges = differing.size();
        if (live && !differing.isEmpty()) {
            for (int attempt = 1; attempt <= LIVE_RECHECKS && !differing.isEmpty(); attempt++) {
                progress.printf(
                        "verify %s: re-checking %d differing range(s) in %d ms (attempt %d of %d)%n",
                        label, differing.size(), recheckDelayMs, attempt, LIVE_RECHECKS);
                progress.flush();
                Thread.sleep(recheckDelayMs);
                differing.removeIf(
                        range -> {
                            boolean equal = digest(source, range).matches(digest(target, range));
                            if (equal) {
                                report.rangesResolvedOnRecheck++;
                            }
                            return equal;
                        });
            }
            report.differingRanges = differing.size();
        }
        for (Range range : differing) {
            compareDocuments(range, report);
        }
        return report;
    }

    private void progress(CollectionReport report, long estimatedRanges) {
        progress.printf(
                "verify %s: ranges %d of ~%d, %d source documents hashed%n",
                label,
                report.ranges,
                Math.max(report.ranges, estimatedRanges),
                report.sourceDocuments);
        progress.flush();
    }

    /**
     * Compares the digests of one range; {@code sourceDigest} null means: compute it by a range
     * query.
     */
    private void compareRange(
            Range range,
            @Nullable RangeDigest sourceDigest,
            CollectionReport report,
            List<Range> differing) {
        RangeDigest s = sourceDigest != null ? sourceDigest : digest(source, range);
        RangeDigest t = digest(target, range);
        report.ranges++;
        report.sourceDocuments += s.count();
        report.targetDocuments += t.count();
        if (!s.matches(t)) {
            differing.add(range);
        }
    }

    private RangeDigest digest(Side side, Range range) {
        RangeDigest digest = new RangeDigest();
        try (IdOrderedCursor cursor = cursor(side, range)) {
            while (cursor.hasNext()) {
                digest.add(RangeDigest.hash(sha256, cursor.next().getByteBuffer().asNIO()));
            }
        }
        return digest;
    }

    /**
     * Names the ids of one differing range: holds the source side's hashes (one range), streams the
     * target.
     */
    private void compareDocuments(Range range, CollectionReport report) {
        Map<String, SourceEntry> sourceDocs = new HashMap<>();
        try (IdOrderedCursor cursor = cursor(source, range)) {
            while (cursor.hasNext()) {
                RawBsonDocument doc = cursor.next();
                BsonValue id = doc.get("_id");
                sourceDocs.put(
                        EventKeys.key(database, collection, id),
                        new SourceEntry(
                                idJson(id), RangeDigest.hash(sha256, doc.getByteBuffer().asNIO())));
            }
        }
        try (IdOrderedCursor cursor = cursor(target, range)) {
            while (cursor.hasNext()) {
                RawBsonDocument doc = cursor.next();
                BsonValue id = doc.get("_id");
                SourceEntry entry = sourceDocs.remove(EventKeys.key(database, collection, id));
                if (entry == null) {
                    report.extra.add(idJson(id));
                } else if (entry.hash != RangeDigest.hash(sha256, doc.getByteBuffer().asNIO())) {
                    report.different.add(entry.id);
                }
            }
        }
        sourceDocs.values().stream().map(e -> e.id).sorted().forEach(report.missing::add);
    }

    private record SourceEntry(String id, long hash) {}

    /**
     * The range in {@code _id} order. Where range filters are exact, a query issued again after a
     * refused reply starts after the last {@code _id} read; elsewhere it starts over and skips what
     * was read.
     */
    private IdOrderedCursor cursor(Side side, Range range) {
        MongoCollection<RawBsonDocument> coll = side.collection();
        TypeAliasSupport aliases = side.aliases();
        IdOrderedCursor.Query query =
                (after, batchSize) ->
                        aliases.run(
                                coll,
                                () ->
                                        coll.find(
                                                        aliases.idFilter(
                                                                range.bracket(),
                                                                range.lower(),
                                                                range.upper(),
                                                                after))
                                                .sort(BY_ID)
                                                .batchSize(batchSize)
                                                .cursor());
        IdOrderedCursor.ShrinkListener shrunk = (reply, from, to) -> reportShrink(side, reply, to);
        return RANGED.contains(range.bracket())
                ? IdOrderedCursor.resumingAfter(query, side.batchSize(), shrunk)
                : IdOrderedCursor.skippingTo(
                        query, side.batchSize(), IdComparator.INSTANCE, shrunk);
    }

    private void reportShrink(Side side, RefusedReply reply, int batchSize) {
        if (shrinksReported.add(side.name())) {
            progress.printf(
                    "verify %s: the driver refused %s from the %s; reading on in batches of %d%n",
                    label, reply, side.name(), batchSize);
            progress.flush();
        }
    }

    private static boolean exists(Side side, TypeBracket bracket) {
        MongoCollection<RawBsonDocument> coll = side.collection();
        TypeAliasSupport aliases = side.aliases();
        return aliases.run(
                coll,
                () ->
                        !aliases.aliases(bracket).isEmpty()
                                && coll.find(
                                                        new BsonDocument(
                                                                "_id",
                                                                aliases.typeCondition(bracket)))
                                                .projection(BY_ID)
                                                .limit(1)
                                                .first()
                                        != null);
    }

    /** An {@code _id} as relaxed extended JSON: {@code 5}, {@code "a"}, {@code {"$oid": "..."}}. */
    static String idJson(BsonValue id) {
        String json = new BsonDocument("_id", id).toJson(JSON);
        return json.substring(json.indexOf(':') + 1, json.length() - 1).trim();
    }
}
