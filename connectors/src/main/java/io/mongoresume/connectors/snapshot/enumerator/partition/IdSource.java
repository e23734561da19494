package io.mongoresume.connectors.snapshot.enumerator.partition;

import org.apache.flink.annotation.Internal;
import org.apache.flink.util.CloseableIterator;

import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.snapshot.query.TypeAliasSupport;
import org.bson.BsonValue;

import javax.annotation.Nullable;

/** The partitioners' only view of a collection, so tests can feed them ids without a server. */
@Internal
public interface IdSource {

    /**
     * The {@code _id}s from the position on (all of them from {@link CountScanPosition#START}; see
     * {@link CountPartitioner#resumeFilter}), fetched {@code _id}-only with an explicit ascending
     * sort on {@code _id}, in one query. The caller closes the iterator.
     */
    CloseableIterator<BsonValue> scanIds(CountScanPosition from);

    /**
     * The smallest {@code _id} of the bracket (of any type when the bracket is null), or null when
     * the collection has none.
     */
    @Nullable
    BsonValue minId(@Nullable TypeBracket bracket);

    /**
     * The largest {@code _id} of the bracket (of any type when the bracket is null), or null when
     * the collection has none.
     */
    @Nullable
    BsonValue maxId(@Nullable TypeBracket bracket);

    /**
     * Whether the server's range filters select every {@code _id} of the bracket that its sort puts
     * at or after {@code min} (the bracket's smallest id). False on servers whose comparison treats
     * parts of a bracket (e.g. binary subtypes) as different types; such a bracket must be read
     * client-filtered.
     */
    boolean rangeFilterConsistent(TypeBracket bracket, BsonValue min);

    /** The {@code $type} aliases the server understands. */
    TypeAliasSupport typeAliases();
}
