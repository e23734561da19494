package io.mongoresume.connectors.sink.writer;

import org.apache.flink.metrics.MetricGroup;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import io.mongoresume.connectors.common.UnrecoverableException;
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
 * Routes events to target collections: each source namespace goes where the namespace map says (by
 * default to the same name). A target is made on its first event, so collections that appear
 * mid-run need no set-up. The map was checked before the start not to send two source namespaces to
 * one target.
 */
final class TargetCollections {

    private final MongoWriteOptions options;
    private final MongoClient client;
    private final MetricGroup metricGroup;
    private final Map<MongoNamespace, TargetCollection> targets = new LinkedHashMap<>();
    private final Map<String, MongoNamespace> namespaceBySource = new HashMap<>();
    private final Map<MongoNamespace, String> sourceByNamespace = new HashMap<>();

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
            ns = options.target(event.database(), event.collection());
            String other = sourceByNamespace.putIfAbsent(ns, sourceNs);
            if (other != null) {
                // A collection that appeared mid-run; those at the start were checked before it.
                throw new UnrecoverableException(
                        "The namespace map sends both '"
                                + other
                                + "' and '"
                                + sourceNs
                                + "' to '"
                                + ns.getFullName()
                                + "': their documents would mix in one collection. Change"
                                + " target.namespace-map so that each goes elsewhere (or leave one"
                                + " out of the selection) and resume from the last checkpoint.");
            }
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
