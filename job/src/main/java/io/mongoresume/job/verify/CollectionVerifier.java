package io.mongoresume.job.verify;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;

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
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.event.EventKeys;
import io.mongoresume.connectors.snapshot.query.TypeAliasSupport;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Compares one source collection with its target collection. Per {@link TypeBracket}, the source is read
 * once in {@code _id} order and cut into ranges of {@code rangeSize} documents; each range's digest is
 * compared with the digest of the same {@code _id} range on the target (one range query). Only ranges whose
 * digests differ are compared document by document, to name the {@code _id}s. Memory holds one range of
 * source hashes at most, never a collection.
 *
 * <p>Ranges are cut only in brackets whose range filters are exact everywhere (numbers, strings, ObjectIds,
 * dates); other brackets (rare as {@code _id}: embedded documents, binaries, booleans, ...) are compared as
 * one range each.
 */
final class CollectionVerifier {

    private static final Set<TypeBracket> RANGED =
            EnumSet.of(TypeBracket.NUMBER, TypeBracket.STRING, TypeBracket.OBJECT_ID, TypeBracket.DATE);
    private static final BsonDocument BY_ID = new BsonDocument("_id", new BsonInt32(1));
    private static final JsonWriterSettings JSON =
            JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    /** Re-checks of a differing range in live mode before it is reported. */
    static final int LIVE_RECHECKS = 3;

    private final MongoCollection<RawBsonDocument> source;
    private final MongoCollection<RawBsonDocument> target;
    private final String database;
    private final String collection;
    private final int rangeSize;
    private final boolean live;
    private final long recheckDelayMs;
    private final PrintWriter progress;
    private final TypeAliasSupport sourceAliases;
    private final TypeAliasSupport targetAliases;
    private final MessageDigest sha256 = RangeDigest.sha256();

    /** A range of one bracket: {@code [lower, upper)}, null bounds open. */
    private record Range(TypeBracket bracket, @Nullable BsonValue lower, @Nullable BsonValue upper) {}

    CollectionVerifier(
            MongoCollection<RawBsonDocument> source,
            MongoCollection<RawBsonDocument> target,
            TypeAliasSupport sourceAliases,
            TypeAliasSupport targetAliases,
            String database,
            String collection,
            int rangeSize,
            boolean live,
            long recheckDelayMs,
            PrintWriter progress) {
        checkArgument(rangeSize > 0, "range size must be positive");
        this.source = checkNotNull(source);
        this.target = checkNotNull(target);
        this.sourceAliases = checkNotNull(sourceAliases);
        this.targetAliases = checkNotNull(targetAliases);
        this.database = checkNotNull(database);
        this.collection = checkNotNull(collection);
        this.rangeSize = rangeSize;
        this.live = live;
        this.recheckDelayMs = recheckDelayMs;
        this.progress = checkNotNull(progress);
    }

    CollectionReport verify(int maxReport) throws InterruptedException {
        CollectionReport report = new CollectionReport(collection, maxReport);
        long estimate = Math.max(source.estimatedDocumentCount(), target.estimatedDocumentCount());
        long estimatedRanges = Math.max(1, (estimate + rangeSize - 1) / rangeSize);
        List<Range> differing = new ArrayList<>();
        for (TypeBracket bracket : TypeBracket.values()) {
            if (!exists(source, sourceAliases, bracket) && !exists(target, targetAliases, bracket)) {
                continue;
            }
            if (!RANGED.contains(bracket)) {
                compareRange(new Range(bracket, null, null), null, report, differing);
                progress(report, estimatedRanges);
                continue;
            }
            BsonValue lower = null;
            RangeDigest digest = new RangeDigest();
            try (MongoCursor<RawBsonDocument> cursor = cursor(source, sourceAliases, new Range(bracket, null, null))) {
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
                        collection, differing.size(), recheckDelayMs, attempt, LIVE_RECHECKS);
                progress.flush();
                Thread.sleep(recheckDelayMs);
                differing.removeIf(range -> {
                    boolean equal = digest(source, sourceAliases, range).matches(digest(target, targetAliases, range));
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
                collection,
                report.ranges,
                Math.max(report.ranges, estimatedRanges),
                report.sourceDocuments);
        progress.flush();
    }

    /** Compares the digests of one range; {@code sourceDigest} null means: compute it by a range query. */
    private void compareRange(
            Range range, @Nullable RangeDigest sourceDigest, CollectionReport report, List<Range> differing) {
        RangeDigest s = sourceDigest != null ? sourceDigest : digest(source, sourceAliases, range);
        RangeDigest t = digest(target, targetAliases, range);
        report.ranges++;
        report.sourceDocuments += s.count();
        report.targetDocuments += t.count();
        if (!s.matches(t)) {
            differing.add(range);
        }
    }

    private RangeDigest digest(MongoCollection<RawBsonDocument> coll, TypeAliasSupport aliases, Range range) {
        RangeDigest digest = new RangeDigest();
        try (MongoCursor<RawBsonDocument> cursor = cursor(coll, aliases, range)) {
            while (cursor.hasNext()) {
                digest.add(RangeDigest.hash(sha256, cursor.next().getByteBuffer().asNIO()));
            }
        }
        return digest;
    }

    /** Names the ids of one differing range: holds the source side's hashes (one range), streams the target. */
    private void compareDocuments(Range range, CollectionReport report) {
        Map<String, SourceEntry> sourceDocs = new HashMap<>();
        try (MongoCursor<RawBsonDocument> cursor = cursor(source, sourceAliases, range)) {
            while (cursor.hasNext()) {
                RawBsonDocument doc = cursor.next();
                BsonValue id = doc.get("_id");
                sourceDocs.put(
                        EventKeys.key(database, collection, id),
                        new SourceEntry(idJson(id), RangeDigest.hash(sha256, doc.getByteBuffer().asNIO())));
            }
        }
        try (MongoCursor<RawBsonDocument> cursor = cursor(target, targetAliases, range)) {
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

    private static MongoCursor<RawBsonDocument> cursor(
            MongoCollection<RawBsonDocument> coll, TypeAliasSupport aliases, Range range) {
        return aliases.run(
                coll,
                () -> coll.find(aliases.idFilter(range.bracket(), range.lower(), range.upper(), null))
                        .sort(BY_ID)
                        .cursor());
    }

    private static boolean exists(
            MongoCollection<RawBsonDocument> coll, TypeAliasSupport aliases, TypeBracket bracket) {
        return aliases.run(
                coll,
                () -> !aliases.aliases(bracket).isEmpty()
                        && coll.find(new BsonDocument("_id", aliases.typeCondition(bracket)))
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
