package io.mongoresume.connectors.snapshot.split;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;

import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.snapshot.query.CollectionReadPlan;
import org.bson.BsonValue;

import javax.annotation.Nullable;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * One range of a collection's {@code _id}s within one {@link TypeBracket}: {@code lower} inclusive
 * and {@code upper} exclusive, each null when open. {@code lastId} is the last {@code _id} emitted
 * from it (null before the first); the reader resumes strictly after it. {@code fetchedUpToId} is
 * the last {@code _id} of the newest batch whose records started being emitted: ids up to it were
 * already read from the source once, so reading them again after a restore counts as a re-fetch.
 * Immutable: progress makes a new split.
 *
 * <p>{@code clientFiltered} marks a bracket the server sorts correctly but cannot range-filter
 * consistently (the embedded test server compares binaries of different subtypes as unequal types).
 * Such a split is the whole bracket, read by one sorted query, and the reader skips ids up to
 * {@code lastId} itself.
 *
 * <p>{@code readPlan} is what the enumerator found out about the collection when it partitioned it
 * (query plan, average document size); null in splits of savepoints written before splits carried
 * it, for which readers find out themselves.
 *
 * @param splitId the id {@code "<db>.<coll>_<n>"} ({@link #splitId(String, String, int)})
 */
@Internal
public record SnapshotSplit(
        String splitId,
        String database,
        String collection,
        TypeBracket bracket,
        @Nullable BsonValue lower,
        @Nullable BsonValue upper,
        @Nullable BsonValue lastId,
        @Nullable BsonValue fetchedUpToId,
        boolean clientFiltered,
        @Nullable CollectionReadPlan readPlan)
        implements SourceSplit {

    public SnapshotSplit {
        checkNotNull(splitId);
        checkNotNull(database);
        checkNotNull(collection);
        checkNotNull(bracket);
        checkBracket(bracket, lower, "lower");
        checkBracket(bracket, upper, "upper");
        checkBracket(bracket, lastId, "lastId");
        checkBracket(bracket, fetchedUpToId, "fetchedUpToId");
        checkArgument(
                !clientFiltered || (lower == null && upper == null),
                "A client-filtered split covers its whole bracket");
    }

    /** A split that has not been read yet. */
    public static SnapshotSplit unread(
            String database,
            String collection,
            int number,
            TypeBracket bracket,
            @Nullable BsonValue lower,
            @Nullable BsonValue upper) {
        return new SnapshotSplit(
                splitId(database, collection, number),
                database,
                collection,
                bracket,
                lower,
                upper,
                null,
                null,
                false,
                null);
    }

    /** The id {@code "<db>.<coll>_<n>"}. */
    public static String splitId(String database, String collection, int number) {
        return database + '.' + collection + '_' + number;
    }

    private static void checkBracket(TypeBracket bracket, @Nullable BsonValue value, String name) {
        checkArgument(
                value == null || TypeBracket.of(value.getBsonType()) == bracket,
                "%s %s is not in bracket %s",
                name,
                value,
                bracket);
    }

    /** A copy with the reading progress replaced. */
    public SnapshotSplit withProgress(
            @Nullable BsonValue newLastId, @Nullable BsonValue newFetchedUpToId) {
        return copy(lower, upper, newLastId, newFetchedUpToId, clientFiltered, readPlan);
    }

    /** A copy that is read client-filtered (see the class comment). */
    public SnapshotSplit asClientFiltered() {
        return copy(null, null, lastId, fetchedUpToId, true, readPlan);
    }

    /** A copy carrying the collection's read plan. */
    public SnapshotSplit withReadPlan(CollectionReadPlan plan) {
        return copy(lower, upper, lastId, fetchedUpToId, clientFiltered, checkNotNull(plan));
    }

    /** The same split (id, namespace, bracket) with the rest given. */
    private SnapshotSplit copy(
            @Nullable BsonValue newLower,
            @Nullable BsonValue newUpper,
            @Nullable BsonValue newLastId,
            @Nullable BsonValue newFetchedUpToId,
            boolean newClientFiltered,
            @Nullable CollectionReadPlan newReadPlan) {
        return new SnapshotSplit(
                splitId,
                database,
                collection,
                bracket,
                newLower,
                newUpper,
                newLastId,
                newFetchedUpToId,
                newClientFiltered,
                newReadPlan);
    }

    public String namespace() {
        return database + '.' + collection;
    }

    @Override
    public String toString() {
        return "SnapshotSplit{"
                + splitId
                + " "
                + bracket
                + " ["
                + (lower == null ? "open" : lower)
                + ", "
                + (upper == null ? "open" : upper)
                + ") lastId="
                + lastId
                + " fetchedUpToId="
                + fetchedUpToId
                + (clientFiltered ? " client-filtered" : "")
                + (readPlan == null ? "" : " " + readPlan)
                + '}';
    }
}
