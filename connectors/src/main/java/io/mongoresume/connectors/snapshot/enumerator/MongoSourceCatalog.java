package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.snapshot.enumerator.partition.IdSource;
import io.mongoresume.connectors.snapshot.enumerator.partition.MongoIdSource;
import io.mongoresume.connectors.snapshot.query.CollectionReadPlan;
import io.mongoresume.connectors.snapshot.query.SnapshotReadConcern;
import io.mongoresume.connectors.snapshot.query.TypeAliasSupport;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * {@link SourceCatalog} over a live deployment; owns its client, a {@link
 * MongoConnectionOptions#createBoundedClient() bounded} one: a stalled source fails the
 * enumerator's queries after the timeout instead of blocking the job's coordinator (the
 * whole-bracket counts excepted, see {@link MongoIdSource}). Id queries read with the snapshot's
 * read concern.
 */
@Internal
public final class MongoSourceCatalog implements SourceCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(MongoSourceCatalog.class);

    private final MongoClient client;
    private final MongoDatabase database;
    private final SnapshotReadConcern readConcern;
    private final TypeAliasSupport aliases = new TypeAliasSupport();

    public MongoSourceCatalog(
            MongoConnectionOptions connection, String database, SnapshotReadConcern readConcern) {
        this(connection.createBoundedClient(), database, readConcern);
    }

    @VisibleForTesting
    MongoSourceCatalog(MongoClient client, String database, SnapshotReadConcern readConcern) {
        this.client = checkNotNull(client);
        this.database = client.getDatabase(database);
        this.readConcern = checkNotNull(readConcern);
    }

    @Override
    public List<String> listCollectionNames() {
        return CollectionSelection.eligible(database);
    }

    @Override
    public long estimatedDocumentCount(String collection) {
        try {
            return database.getCollection(collection).estimatedDocumentCount();
        } catch (MongoException e) {
            LOG.warn(
                    "No estimated document count for {}.{}: {}",
                    database.getName(),
                    collection,
                    MongoConnectionOptions.mask(e.getMessage()));
            return -1;
        }
    }

    @Override
    public IdSource idSource(String collection) {
        return new MongoIdSource(
                database.getCollection(collection)
                        .withDocumentClass(RawBsonDocument.class)
                        .withReadConcern(readConcern.readConcern()),
                aliases);
    }

    @Override
    public CollectionReadPlan readPlan(String collection) {
        BsonValue min = idSource(collection).minId(null);
        BsonDocument rangeFilter =
                min == null
                        ? null
                        : aliases.idFilter(TypeBracket.of(min.getBsonType()), min, null, null);
        return CollectionReadPlan.probe(database, collection, rangeFilter);
    }

    @Override
    public void close() {
        client.close();
    }
}
