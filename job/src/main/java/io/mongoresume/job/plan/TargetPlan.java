package io.mongoresume.job.plan;

import com.mongodb.MongoNamespace;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.common.selection.NamespaceMap;
import io.mongoresume.connectors.destination.ExistingDataPolicy;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the documents go and what the job may do there: preparation and ownership.
 *
 * @param database the target database of the source database (target.database, or the same name);
 *     null across databases without target.database
 * @param namespaceMap where each source namespace goes (target.namespace-map, then {@code
 *     database})
 */
public record TargetPlan(
        MongoConnectionOptions connection,
        @Nullable String database,
        NamespaceMap namespaceMap,
        ExistingDataPolicy existingData,
        boolean copyIndexes,
        Duration ownershipLease,
        boolean takeOver) {

    /** The target namespace ({@code db.collection}) of each source collection of {@code db}. */
    public List<String> namespaces(String sourceDatabase, List<String> collections) {
        List<String> namespaces = new ArrayList<>();
        collections.forEach(c -> namespaces.add(target(sourceDatabase, c).getFullName()));
        return namespaces;
    }

    /** The target namespace ({@code db.collection}) of each source namespace. */
    public List<String> namespaces(List<String> sourceNamespaces) {
        List<String> namespaces = new ArrayList<>();
        sourceNamespaces.forEach(ns -> namespaces.add(target(ns).getFullName()));
        return namespaces;
    }

    /** The target namespace of a source namespace ({@code db.collection}). */
    public MongoNamespace target(String sourceNamespace) {
        return namespaceMap.target(
                CollectionSelection.databaseOf(sourceNamespace),
                CollectionSelection.collectionOf(sourceNamespace));
    }

    /** The target namespace of a source collection. */
    public MongoNamespace target(String sourceDatabase, String collection) {
        return namespaceMap.target(sourceDatabase, collection);
    }
}
