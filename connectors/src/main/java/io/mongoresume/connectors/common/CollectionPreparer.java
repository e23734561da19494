package io.mongoresume.connectors.common;

import java.io.Serializable;

/**
 * Readies the target for one source collection before the first document of that collection is written:
 * applies the existing-data policy (keep / clear / drop) and creates the source's indexes. The snapshot
 * enumerator calls it once per collection on a fresh start and records that it did, so a job resumed from a
 * savepoint never clears the target again.
 */
@FunctionalInterface
public interface CollectionPreparer extends Serializable {

    /** A preparer that does nothing (the target is used as it is). */
    CollectionPreparer NONE = (database, collection) -> {};

    /**
     * @param database the source database
     * @param collection the source collection
     * @throws Exception when the target cannot be prepared; the job then fails before writing
     */
    void prepare(String database, String collection) throws Exception;
}
