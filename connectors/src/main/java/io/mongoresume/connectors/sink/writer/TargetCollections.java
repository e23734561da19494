package io.mongoresume.connectors.sink.writer;

import org.apache.flink.metrics.MetricGroup;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.sink.config.MongoWriteOptions;
import org.bson.RawBsonDocument;

import javax.annotation.Nullable;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Routes events to target collections: source namespace {@code db.coll} goes to {@code
 * <targetDatabase or db>.coll}. A target is made on its first event, so collections that appear
 * mid-run need no set-up; with a target database, same-named collections of several source
 * databases share one target.
 */
final class TargetCollections {

    private final MongoWriteOptions options;
    private final MongoClient client;
    private final MetricGroup metricGroup;
    private final Map<MongoNamespace, TargetCollection> targets = new LinkedHashMap<>();
    private final Map<String, MongoNamespace> namespaceBySource = new HashMap<>();

    TargetCollections(MongoWriteOptions options, MongoClient client, MetricGroup metricGroup) {
        this.options = options;
        this.client = client;
        this.metricGroup = metricGroup;
    }

    /** The target of {@code event}'s namespace. */
    TargetCollection of(MigrationEvent event) {
        String sourceNs = event.namespace();
        MongoNamespace ns = namespaceBySource.get(sourceNs);
        if (ns == null) {
            ns = new MongoNamespace(options.targetDatabase(event.database()), event.collection());
            namespaceBySource.put(sourceNs, ns);
        }
        return targets.computeIfAbsent(ns, this::newTarget);
    }

    @Nullable
    TargetCollection get(String database, String collection) {
        return targets.get(new MongoNamespace(database, collection));
    }

    /** Every target so far, in the order of their first events. */
    Collection<TargetCollection> all() {
        return Collections.unmodifiableCollection(targets.values());
    }

    private TargetCollection newTarget(MongoNamespace ns) {
        MongoCollection<RawBsonDocument> collection =
                client.getDatabase(ns.getDatabaseName())
                        .getCollection(ns.getCollectionName(), RawBsonDocument.class)
                        .withWriteConcern(options.writeConcern());
        return new TargetCollection(
                ns, collection, new NamespaceMetrics(metricGroup, ns.getFullName()));
    }
}
