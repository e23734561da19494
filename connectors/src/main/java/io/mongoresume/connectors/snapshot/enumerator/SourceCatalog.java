package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.annotation.Internal;

import io.mongoresume.connectors.snapshot.enumerator.partition.IdSource;
import io.mongoresume.connectors.snapshot.query.CollectionReadPlan;

import java.io.Serializable;
import java.util.List;

/** The enumerator's access to the source database; swapped for a fake in unit tests. */
@Internal
public interface SourceCatalog extends AutoCloseable {

    /**
     * The names of the database's collections a migration can copy ({@link
     * io.mongoresume.connectors.common.selection.CollectionSelection#eligible}); the selection
     * picks among them.
     */
    List<String> listCollectionNames();

    /** MongoDB's cheap metadata-based count; -1 if unknown. */
    long estimatedDocumentCount(String collection);

    IdSource idSource(String collection);

    /**
     * What readers need to know to read the collection (its query plan for {@code _id} ranges, its
     * average document size), asked once when it is partitioned. A catalog that cannot tell returns
     * a plan of unknowns, which readers read the cautious way (one query per split, batches of the
     * fetch size).
     */
    default CollectionReadPlan readPlan(String collection) {
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
