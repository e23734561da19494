package io.mongoresume.job.precheck;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import io.mongoresume.connectors.cdc.OplogProbe;
import io.mongoresume.connectors.cdc.offset.ChangeStreamOffset;
import io.mongoresume.job.config.InvalidConfigException;
import io.mongoresume.job.plan.MigrationPlan;
import org.bson.BsonTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.time.Instant;

/**
 * Refuses a fresh start whose {@code cdc.start-at} lies before the oldest change the source still
 * has: the changes from then to its oplog's first entry are gone. Real MongoDB refuses such a
 * change stream (ChangeStreamHistoryLost) only when it opens, inside the running job; a server that
 * does not check (the embedded test server) would silently start at its first entry. Compared by
 * the second, the resolution of {@code cdc.start-at}. A source whose oplog cannot be read (no
 * rights on {@code local}, a {@code mongos}) is left to the server, whose refusal then names {@code
 * cdc.start-at} as well.
 */
public final class StartAtCheck {

    private static final Logger LOG = LoggerFactory.getLogger(StartAtCheck.class);

    private StartAtCheck() {}

    /**
     * @throws InvalidConfigException when the source's oplog begins after {@code cdc.start-at}
     */
    static void refuseLostHistory(MigrationPlan plan) {
        Instant startAt = plan.start().startAt();
        if (startAt == null) {
            return;
        }
        BsonTimestamp oldest;
        try (MongoClient source = plan.sourceConnection().createClient()) {
            oldest = OplogProbe.oldestTime(source);
        } catch (MongoException e) {
            LOG.info(
                    "Cannot read the source's oplog to check cdc.start-at against it ({}); the change streams"
                            + " check it when they open",
                    e.toString());
            return;
        }
        String problem = lostHistory(startAt, oldest);
        if (problem != null) {
            throw new InvalidConfigException(problem);
        }
    }

    /**
     * Why {@code startAt} cannot be served by an oplog that begins at {@code oldest}; null when it
     * can (also for an empty oplog, which has lost nothing).
     */
    @Nullable
    public static String lostHistory(Instant startAt, @Nullable BsonTimestamp oldest) {
        if (oldest == null || oldest.getTime() <= startAt.getEpochSecond()) {
            return null;
        }
        String begins = Instant.ofEpochSecond(oldest.getTime()).toString();
        return "Invalid value '"
                + startAt
                + "' for option '"
                + "cdc.start-at"
                + "': the source no longer has the changes from then. Its oplog, the change history that change"
                + " streams read, begins at "
                + ChangeStreamOffset.describe(oldest)
                + ": the changes before that were trimmed from it (or made before it began) and would be"
                + " missing from the target. Give a cdc.start-at at or after "
                + begins
                + ", or copy the current data with sync.type=full+incremental; to keep more history, enlarge"
                + " the source's oplog (replSetResizeOplog). Nothing was written.";
    }
}
