package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
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
import org.bson.Document;
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
    private final CollectionSelection selection;
    private final SnapshotReadConcern readConcern;
    private final TypeAliasSupport aliases = new TypeAliasSupport();

    /**
     * @param selection what the job copies: which databases {@link #listNamespaces} lists
     */
    public MongoSourceCatalog(
            MongoConnectionOptions connection,
            CollectionSelection selection,
            SnapshotReadConcern readConcern) {
        this(connection.createBoundedClient(), selection, readConcern);
    }

    @VisibleForTesting
    MongoSourceCatalog(
            MongoClient client, CollectionSelection selection, SnapshotReadConcern readConcern) {
        this.client = checkNotNull(client);
        this.selection = checkNotNull(selection);
        this.readConcern = checkNotNull(readConcern);
    }

    @Override
    public List<String> listNamespaces() {
        return selection.eligibleNamespaces(client);
    }

    @Override
    public long estimatedDocumentCount(String namespace) {
        try {
            return collection(namespace).estimatedDocumentCount();
        } catch (MongoException e) {
            LOG.warn(
                    "No estimated document count for {}: {}",
                    namespace,
                    MongoConnectionOptions.mask(e.getMessage()));
            return -1;
        }
    }

    @Override
    public IdSource idSource(String namespace) {
        return new MongoIdSource(
                collection(namespace)
                        .withDocumentClass(RawBsonDocument.class)
                        .withReadConcern(readConcern.readConcern()),
                aliases);
    }

    @Override
    public CollectionReadPlan readPlan(String namespace) {
        BsonValue min = idSource(namespace).minId(null);
        BsonDocument rangeFilter =
                min == null
                        ? null
                        : aliases.idFilter(TypeBracket.of(min.getBsonType()), min, null, null);
        return CollectionReadPlan.probe(
                database(namespace), CollectionSelection.collectionOf(namespace), rangeFilter);
    }

    private MongoDatabase database(String namespace) {
        return client.getDatabase(CollectionSelection.databaseOf(namespace));
    }

    private MongoCollection<Document> collection(String namespace) {
        return database(namespace).getCollection(CollectionSelection.collectionOf(namespace));
    }

    @Override
    public void close() {
        client.close();
    }
}
