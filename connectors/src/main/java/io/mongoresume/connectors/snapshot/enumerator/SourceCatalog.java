package io.mongoresume.connectors.snapshot.enumerator;

import org.apache.flink.annotation.Internal;

import java.io.Serializable;
import java.util.List;

import io.mongoresume.connectors.snapshot.enumerator.partition.IdSource;

/** The enumerator's access to the source database; swapped for a fake in unit tests. */
@Internal
public interface SourceCatalog extends AutoCloseable {

    /**
     * The names of the database's collections (views and {@code system.*} included; the caller
     * filters).
     */
    List<String> listCollectionNames();

    /** MongoDB's cheap metadata-based count; -1 if unknown. */
    long estimatedDocumentCount(String collection);

    IdSource idSource(String collection);

    @Override
    void close();

    /** Opens a catalog on the enumerator's side (the enumerator closes it). */
    @FunctionalInterface
    interface Factory extends Serializable {
        SourceCatalog open();
    }
}
