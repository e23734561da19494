package io.mongoresume.job.topology;

import java.time.Instant;
import java.util.List;

import org.bson.BsonDocument;

import io.mongoresume.connectors.cdc.ChangeStreamStartPositions;
import io.mongoresume.connectors.cdc.StartPosition;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.config.MigrationOptions;
import io.mongoresume.job.config.SyncType;

/**
 * Where the change streams start on a fresh start. For full+incremental the position is captured here, in
 * the client, before the job (and so its first snapshot read) exists: starting early is harmless, starting
 * late loses changes. A job restored from a savepoint ignores it: each stream's stored resume point wins.
 */
public final class ChangeStreamStart {

    private ChangeStreamStart() {}

    /** The start position for this job, or null when the sync type has no change stream. */
    public static StartPosition resolve(MigrationConfig config, List<String> collections) {
        SyncType sync = config.get(MigrationOptions.SYNC_TYPE);
        if (!sync.hasChangeStream()) {
            return null;
        }
        if (sync == SyncType.FULL_INCREMENTAL) {
            return ChangeStreamStartPositions.capture(
                    config.sourceConnection(),
                    config.sourceDatabase(),
                    collections,
                    config.get(MigrationOptions.CDC_START_MARGIN));
        }
        // The option is named where a stream cannot start at the position it gave.
        Instant startAt = config.cdcStartAt();
        if (startAt != null) {
            return StartPosition.atTime(startAt).withOrigin(MigrationOptions.CDC_START_AT.key());
        }
        String token = config.get(MigrationOptions.CDC_RESUME_TOKEN);
        if (token != null) {
            return StartPosition.resumeToken(BsonDocument.parse(token))
                    .withOrigin(MigrationOptions.CDC_RESUME_TOKEN.key());
        }
        return StartPosition.now();
    }
}
