package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.annotation.Internal;

import io.mongoresume.connectors.snapshot.enumerator.partition.IdSource;
import io.mongoresume.connectors.snapshot.query.CollectionReadPlan;

import java.io.Serializable;
import java.util.List;

/**
 * The enumerator's access to the source deployment; swapped for a fake in unit tests. Collections
 * are named by their namespace, {@code database.collection}.
 */
@Internal
public interface SourceCatalog extends AutoCloseable {

    /**
     * Every namespace a migration can copy ({@link
     * io.mongoresume.connectors.common.selection.CollectionSelection#eligible}) in the databases
     * the selection may match ({@link
     * io.mongoresume.connectors.common.selection.CollectionSelection#eligibleNamespaces}), sorted;
     * the selection picks among them.
     */
    List<String> listNamespaces();

    /** MongoDB's cheap metadata-based count; -1 if unknown. */
    long estimatedDocumentCount(String namespace);

    IdSource idSource(String namespace);

    /**
     * What readers need to know to read the collection (its query plan for {@code _id} ranges, its
     * average document size), asked once when it is partitioned. A catalog that cannot tell returns
     * a plan of unknowns, which readers read the cautious way (one query per split, batches of the
     * fetch size).
     */
    default CollectionReadPlan readPlan(String namespace) {
        return CollectionReadPlan.unknown("not asked");
    }

    @Override
    void close();

    /** Opens a catalog on the enumerator's side (the enumerator closes it). */
    @FunctionalInterface
    interface Factory extends Serializable {
        SourceCatalog open();
    }
}
