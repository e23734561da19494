package io.mongoresume.job.config;

import io.mongoresume.connectors.sink.WritePolicy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The rules across options: combinations that would silently do the wrong thing (lose changes,
 * overwrite newer data, never apply what was asked for) are refused before the job starts, naming
 * the options.
 */
final class OptionCombinations {

    private OptionCombinations() {}

    static void check(MigrationConfig config) {
        validateSyncCombinations(config);
        refuseUnalignedCheckpoints(config);
    }

    /**
     * The merge counts on aligned checkpoints: a collection done at one merge subtask at a
     * checkpoint has had its last snapshot rows delivered to every subtask before it. Unaligned
     * checkpoints keep rows in flight and replay them after a restore, after the collection is
     * done, where they could overwrite newer changes.
     */
    private static void refuseUnalignedCheckpoints(MigrationConfig config) {
        for (String key :
                List.of(
                        "execution.checkpointing.unaligned",
                        "execution.checkpointing.unaligned.enabled")) {
            String value = config.flinkOptions().toMap().get(key);
            if (value != null && Boolean.parseBoolean(value.trim())) {
                throw new InvalidConfigException(
                        "Invalid value '"
                                + value
                                + "' for option 'flink."
                                + key
                                + "': unaligned checkpoints are not supported. A restore replays the records"
                                + " they kept in flight, and a snapshot row replayed after its collection's"
                                + " snapshot was recorded as done could overwrite a newer change. Remove the"
                                + " option (aligned checkpoints are Flink's default).");
            }
        }
    }

    /** Combinations that would silently do the wrong thing are refused before the job starts. */
    private static void validateSyncCombinations(MigrationConfig config) {
        SyncType sync = config.get(MigrationOptions.SYNC_TYPE);
        if (!config.get(MigrationOptions.MERGE_ENABLED) && sync != SyncType.FULL) {
            throw new InvalidConfigException(
                    "merge.enabled=false needs sync.type=full: with sync.type="
                            + sync
                            + " snapshot rows could overwrite newer changes. Remove merge.enabled or use"
                            + " sync.type=full.");
        }
        if (!config.get(MigrationOptions.CDC_FULL_DOCUMENT) && sync.hasChangeStream()) {
            throw new InvalidConfigException(
                    "cdc.full-document=false is not supported: partial updates ($set/$unset) cannot be"
                            + " merged with snapshot rows correctly. Remove the option (default true).");
        }
        boolean startAt = config.isSet(MigrationOptions.CDC_START_AT);
        boolean token = config.isSet(MigrationOptions.CDC_RESUME_TOKEN);
        if ((startAt || token) && sync != SyncType.INCREMENTAL) {
            throw new InvalidConfigException(
                    (startAt ? "cdc.start-at" : "cdc.resume-token")
                            + " applies to sync.type=incremental only; with sync.type="
                            + sync
                            + " the change stream starts before the snapshot by itself.");
        }
        if (startAt && token) {
            throw new InvalidConfigException(
                    "Give either cdc.start-at or cdc.resume-token, not both.");
        }
        if (startAt) {
            refuseFutureStartAt(config, config.cdcStartAt());
        } else if (config.get(MigrationOptions.CDC_START_AT_FUTURE_OK)) {
            throw new InvalidConfigException(
                    "cdc.start-at-future-ok=true has no effect without cdc.start-at (sync.type=incremental):"
                            + " remove it, or give the time the change streams are to start at.");
        }
        if (token && (!config.selectsByList() || config.collections().size() != 1)) {
            throw new InvalidConfigException(
                    "cdc.resume-token belongs to one collection's change stream: select exactly one"
                            + " collection with source.collections, or use cdc.start-at.");
        }
        if (token) {
            try {
                org.bson.BsonDocument.parse(config.get(MigrationOptions.CDC_RESUME_TOKEN));
            } catch (RuntimeException e) {
                throw new InvalidConfigException(
                        "Invalid value for option 'cdc.resume-token': not a JSON document such as"
                                + " {\"_data\": \"8263...\"}.");
            }
        }
        if (config.get(MigrationOptions.WRITE_MODE) == WritePolicy.Mode.APPEND_ONLY
                && config.get(MigrationOptions.WRITE_KEEP_DELETED)) {
            throw new InvalidConfigException(
                    "write.mode=append-only discards deletes, so write.keep-deleted=true would never mark"
                            + " anything. Use one of the two.");
        }
        if (config.get(MigrationOptions.WRITE_KEEP_DELETED)
                && config.get(MigrationOptions.WRITE_DELETE) == WritePolicy.DeletePolicy.IGNORE) {
            throw new InvalidConfigException(
                    "write.keep-deleted=true marks deleted documents, but write.delete=ignore ignores"
                            + " deletes. Use one of the two.");
        }
        if (config.get(MigrationOptions.DDL_ENABLED)
                && sync.hasChangeStream()
                && config.get(MigrationOptions.TARGET_WRITERS) > 1) {
            throw new InvalidConfigException(
                    "ddl.enabled=true needs target.writers=1: a collection's writes are spread over the"
                            + " writers by _id, so with "
                            + config.get(MigrationOptions.TARGET_WRITERS)
                            + " writers a drop could overtake writes still in flight on another writer and the"
                            + " target would keep documents the source dropped. Set target.writers=1 or leave"
                            + " ddl.enabled off.");
        }
        Duration discovery = config.get(MigrationOptions.CDC_DISCOVERY_INTERVAL);
        if (discovery.isNegative()) {
            throw config.invalid(
                    MigrationOptions.CDC_DISCOVERY_INTERVAL,
                    "a duration, or 0 to turn discovery off");
        }
    }

    /**
     * A cdc.start-at after this machine's clock (beyond the skew) would skip the changes until
     * then: refused unless cdc.start-at-future-ok says that is the intent.
     */
    private static void refuseFutureStartAt(MigrationConfig config, Instant startAt) {
        Instant now = Instant.now();
        Duration ahead = Duration.between(now, startAt);
        if (ahead.getSeconds() <= MigrationConfig.START_AT_CLOCK_SKEW_SECONDS
                || config.get(MigrationOptions.CDC_START_AT_FUTURE_OK)) {
            return;
        }
        throw config.invalid(
                MigrationOptions.CDC_START_AT,
                "a time that has passed: "
                        + startAt
                        + " is after this machine's clock ("
                        + now.truncatedTo(ChronoUnit.SECONDS)
                        + ") by more than the "
                        + MigrationConfig.START_AT_CLOCK_SKEW_SECONDS
                        + " s taken as clock skew, so the change streams would skip every change made until"
                        + " then. Give the time the changes to migrate begin at (leave cdc.start-at out"
                        + " to start now), or set cdc.start-at-future-ok=true to skip the changes until then on"
                        + " purpose");
    }
}
