package io.mongoresume.connectors.sink.writer;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import io.mongoresume.connectors.common.MongoErrors;
import io.mongoresume.connectors.sink.config.MongoWriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Applies collection DDL to the target with the sink's write concern and retries. Both commands are
 * idempotent, as a replay after a restart needs: a collection that exists already is created, a
 * missing one is dropped.
 */
final class CollectionDdl {

    private static final Logger LOG = LoggerFactory.getLogger(CollectionDdl.class);

    private final MongoWriteOptions options;
    private final MongoClient client;

    CollectionDdl(MongoWriteOptions options, MongoClient client) {
        this.options = options;
        this.client = client;
    }

    void create(TargetCollection target) throws IOException, InterruptedException {
        apply(
                target,
                "create collection",
                MongoErrors.NAMESPACE_EXISTS,
                () ->
                        client.getDatabase(target.namespace().getDatabaseName())
                                .withWriteConcern(options.writeConcern())
                                .createCollection(target.namespace().getCollectionName()),
                "Created target collection {}");
    }

    /** Drops the collection; the caller writes its pending writes first. */
    void drop(TargetCollection target) throws IOException, InterruptedException {
        apply(
                target,
                "drop collection",
                MongoErrors.NAMESPACE_NOT_FOUND,
                () -> target.collection().drop(),
                "Dropped target collection {}");
    }

    /**
     * Runs a command; the server's {@code alreadyDoneCode} means the target is as wanted already.
     */
    private void apply(
            TargetCollection target,
            String what,
            int alreadyDoneCode,
            Runnable command,
            String doneMessage)
            throws IOException, InterruptedException {
        new WriteAttempts(options, target.fullName())
                .untilDone(
                        () -> what,
                        () -> {
                            try {
                                command.run();
                                LOG.info(doneMessage, target.fullName());
                                return null;
                            } catch (MongoCommandException e) {
                                return e.getErrorCode() == alreadyDoneCode ? null : e;
                            } catch (MongoException e) {
                                return e;
                            }
                        });
    }
}
