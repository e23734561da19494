package io.mongoresume.connectors.snapshot.query;

import org.apache.flink.annotation.Internal;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import io.mongoresume.connectors.common.bson.TypeBracket;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Builds the {@code _id} filters of the snapshot source and copes with servers that do not know
 * every {@code $type} alias. MongoDB accepts all aliases of {@link TypeBracket}; the embedded test
 * server rejects {@code symbol}, {@code undefined}, {@code javascript}, {@code javascriptWithScope}
 * and {@code dbPointer} with BadValue. When a query fails that way, each alias is probed once and
 * rejected ones are left out from then on (a server that cannot name a type cannot hold an {@code
 * _id} of it in a way we could select).
 */
@Internal
public final class TypeAliasSupport {

    private static final Logger LOG = LoggerFactory.getLogger(TypeAliasSupport.class);

    /** MongoDB's BadValue, returned for an unknown {@code $type} alias. */
    static final int BAD_VALUE = 2;

    /**
     * What was already logged in this JVM: the enumerator and every reader probe the same server.
     */
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    private final Set<String> unsupported = ConcurrentHashMap.newKeySet();
    private volatile boolean probed;

    /** The aliases of the bracket this server understands; empty if it understands none of them. */
    public List<String> aliases(TypeBracket bracket) {
        if (unsupported.isEmpty()) {
            return bracket.typeAliases();
        }
        List<String> result = new ArrayList<>();
        for (String alias : bracket.typeAliases()) {
            if (!unsupported.contains(alias)) {
                result.add(alias);
            }
        }
        return Collections.unmodifiableList(result);
    }

    /**
     * The filter {@code {_id: {$type: [aliases], $gte: lower, $lt: upper, $gt: after}}}; null parts
     * are left out and {@code $gt after} replaces {@code $gte lower}.
     */
    public BsonDocument idFilter(
            TypeBracket bracket,
            @Nullable BsonValue lower,
            @Nullable BsonValue upper,
            @Nullable BsonValue after) {
        BsonDocument condition = typeCondition(bracket);
        if (after != null) {
            condition.append("$gt", after);
        } else if (lower != null) {
            condition.append("$gte", lower);
        }
        if (upper != null) {
            condition.append("$lt", upper);
        }
        return new BsonDocument("_id", condition);
    }

    /** {@code {$type: [aliases]}} as a new mutable document. */
    public BsonDocument typeCondition(TypeBracket bracket) {
        BsonArray aliases = new BsonArray();
        for (String alias : aliases(bracket)) {
            aliases.add(new BsonString(alias));
        }
        return new BsonDocument("$type", aliases);
    }

    /**
     * Runs a query built through this object; if the server rejects a type alias, finds out which
     * aliases it rejects (once) and runs the query again, rebuilt without them.
     */
    public <T> T run(MongoCollection<?> collection, Supplier<T> query) {
        try {
            return query.get();
        } catch (MongoException e) {
            if (!isUnknownAlias(e) || probed) {
                throw e;
            }
            probe(collection);
            return query.get();
        }
    }

    static boolean isUnknownAlias(MongoException e) {
        String message = e.getMessage();
        return e.getCode() == BAD_VALUE
                && message != null
                && message.toLowerCase().contains("alias");
    }

    private synchronized void probe(MongoCollection<?> collection) {
        if (probed) {
            return;
        }
        for (TypeBracket bracket : TypeBracket.values()) {
            for (String alias : bracket.typeAliases()) {
                Bson filter =
                        new BsonDocument("_id", new BsonDocument("$type", new BsonString(alias)));
                try {
                    collection
                            .find(filter)
                            .projection(new BsonDocument("_id", new BsonInt32(1)))
                            .limit(1)
                            .first();
                } catch (MongoException e) {
                    if (!isUnknownAlias(e)) {
                        throw e;
                    }
                    unsupported.add(alias);
                }
            }
        }
        probed = true;
        String rejected = new TreeSet<>(unsupported).toString();
        if (REPORTED.add(rejected)) {
            LOG.warn(
                    "The source server rejects the $type aliases {}; _id values of those types are not"
                            + " read.",
                    rejected);
        }
    }
}
