package io.mongoresume.job.plan;

import io.mongoresume.connectors.cdc.offset.ClusterTimeCapture;
import io.mongoresume.connectors.cdc.offset.StartPosition;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import org.bson.BsonDocument;

import javax.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the change streams start on a fresh start. For full+incremental the position is captured in
 * the client, before the job (and so its first snapshot read) exists: starting early is harmless,
 * starting late loses changes. A restored job ignores it: each stream's stored resume point wins.
 *
 * @param origin the option that gave the position, named where a stream cannot start there
 */
public record StartPolicy(
        Kind kind,
        @Nullable Instant startAt,
        @Nullable BsonDocument resumeToken,
        Duration startMargin,
        @Nullable String origin) {

    /** The kinds of start. */
    public enum Kind {
        /** The sync type has no change stream. */
        NONE,
        /**
         * full+incremental: captured from the source, a margin before the snapshot's first read.
         */
        BEFORE_SNAPSHOT,
        /** cdc.start-at. */
        AT_TIME,
        /** cdc.resume-token. */
        AFTER_TOKEN,
        /** incremental from now. */
        NOW
    }

    /**
     * The start position for this job's change streams, or null without them.
     *
     * @param namespaces the selected source namespaces ({@code db.collection}) at this start; a
     *     captured position is an operation time of the deployment, which every database's streams
     *     can start at, so it is taken on the first namespace's database
     * @param fallbackDatabase where to capture when no namespace is selected yet
     */
    @Nullable
    public StartPosition resolve(
            MongoConnectionOptions source, List<String> namespaces, String fallbackDatabase) {
        switch (kind) {
            case NONE:
                return null;
            case BEFORE_SNAPSHOT:
                String database =
                        namespaces.isEmpty()
                                ? fallbackDatabase
                                : CollectionSelection.databaseOf(namespaces.get(0));
                List<String> collections = new ArrayList<>();
                for (String ns : namespaces) {
                    if (CollectionSelection.databaseOf(ns).equals(database)) {
                        collections.add(CollectionSelection.collectionOf(ns));
                    }
                }
                return ClusterTimeCapture.capture(source, database, collections, startMargin);
            case AT_TIME:
                return StartPosition.atTime(startAt).withOrigin(origin);
            case AFTER_TOKEN:
                return StartPosition.resumeToken(resumeToken).withOrigin(origin);
            default:
                return StartPosition.now();
        }
    }
}
