package io.mongoresume.job.precheck;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.mongoresume.connectors.common.read.DocumentSize;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import org.bson.RawBsonDocument;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the per-collection checks on each selected source namespace in turn (named by collection for
 * the shorthand, by {@code db.collection} across databases): its stats, then its data model,
 * measuring its document size once for both, and adds its estimated count to the context for the
 * oplog window.
 */
final class PerCollectionChecks implements PrecheckStep {

    /**
     * A selected collection with its measured document size and the cursor batch size that follows.
     */
    record Measured(
            String name,
            MongoCollection<RawBsonDocument> documents,
            DocumentSize size,
            int batchSize) {}

    private final CollectionStatsCheck stats = new CollectionStatsCheck();
    private final DataModelCheck dataModel;

    PerCollectionChecks(int sampleSize) {
        this.dataModel = new DataModelCheck(sampleSize);
    }

    @Override
    public List<CheckResult> run(PrecheckContext context) {
        int fetchSize = context.plan().snapshot().fetchSize();
        List<CheckResult> results = new ArrayList<>();
        for (String namespace : context.selected()) {
            MongoDatabase sourceDb =
                    context.source()
                            .client()
                            .getDatabase(CollectionSelection.databaseOf(namespace));
            String collection = CollectionSelection.collectionOf(namespace);
            DocumentSize size = DocumentSize.measure(sourceDb, collection);
            Measured measured =
                    new Measured(
                            context.plan().label(namespace),
                            sourceDb.getCollection(collection, RawBsonDocument.class),
                            size,
                            size.batchSize(fetchSize));
            CheckResult collectionStats = stats.check(measured);
            results.add(collectionStats);
            Object count = collectionStats.data().get(CollectionStatsCheck.ESTIMATED_COUNT);
            context.addEstimatedDocuments(count instanceof Long ? (Long) count : 0);
            results.add(dataModel.check(measured));
        }
        return results;
    }
}
