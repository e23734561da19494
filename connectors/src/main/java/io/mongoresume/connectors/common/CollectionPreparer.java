package io.mongoresume.connectors.common;

import java.io.Serializable;
import java.util.List;

/**
 * Readies the target for the source collections before the first document is written: applies the
 * existing-data policy (keep / clear / drop) and creates the source's indexes. The snapshot
 * enumerator calls {@link #claim} once, {@link #prepare} once per collection on a fresh start,
 * before any split is read, then {@link #complete} once for all of them, and records that it did: a
 * job resumed from a savepoint or a retained checkpoint never clears the target again.
 *
 * <p>The migration id names the migration's first start and is kept in its checkpoints. {@link
 * #isComplete} lets a restarted attempt of that start (a failover before the first completed
 * checkpoint) see that the target was prepared already, and lets the change streams wait until it
 * is: a change written to the target before its collection is cleared would be cleared with it.
 */
@FunctionalInterface
public interface CollectionPreparer extends Serializable {

    /** A preparer that does nothing (the target is used as it is). */
    CollectionPreparer NONE = (database, collection) -> {};

    /**
     * Claims the target namespaces of the collections for this job before anything is prepared or
     * written (one job owns a target namespace); fails when another job owns one.
     *
     * @param database the source database
     * @param collections the source collections
     */
    default void claim(String migrationId, String database, List<String> collections)
            throws Exception {}

    /**
     * @param database the source database
     * @param collection the source collection
     * @throws Exception when the target cannot be prepared; the job then fails before writing
     */
    void prepare(String database, String collection) throws Exception;

    /**
     * Readies the target for a collection the migration finds after its target was prepared (it
     * appeared later, or an earlier attempt of the same start prepared it): creates it with its
     * indexes where they are missing, and never clears or drops anything, since its changes may
     * have been written already.
     */
    default void prepareKeeping(String database, String collection) throws Exception {
        prepare(database, collection);
    }

    /** Records that every collection of the migration was prepared. */
    default void complete(String migrationId, String database, List<String> collections)
            throws Exception {}

    /**
     * Whether {@link #complete} ran for this migration (not an earlier one onto the same target).
     *
     * @param database the source database
     */
    default boolean isComplete(String migrationId, String database) throws Exception {
        return false;
    }
}
