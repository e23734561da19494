package io.mongoresume.connectors.destination;

import org.apache.flink.annotation.PublicEvolving;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import io.mongoresume.connectors.common.MongoFailures;
import io.mongoresume.connectors.common.UnrecoverableException;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * One job owns a target namespace: two jobs writing one collection leave it equal to neither
 * source. A job claims its target namespaces before its first write and keeps a record per
 * namespace in {@link TargetMetadata#COLLECTION} of the target database: the owner's migration id
 * (drawn at the migration's first start and kept in its checkpoints), the job name, the source, and
 * a lease that each completed checkpoint renews to {@code checkpoint time + lease}. A claim by
 * another migration is refused while the lease runs, unless it takes over; a migration whose claim
 * was taken over stops at its next check.
 *
 * <p>Serializable (it travels in the job graph); it opens short-lived clients per call.
 */
@PublicEvolving
public final class TargetOwnership implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(TargetOwnership.class);

    private static final String ID_PREFIX = "owner:";

    private final MongoConnectionOptions target;
    private final String jobName;
    private final String source;
    private final long leaseMillis;
    private final boolean takeOver;

    /**
     * @param source what the job reads, for the record (a masked URI and the source database)
     * @param leaseMillis how long a claim outlives the job's last checkpoint
     * @param takeOver whether to claim namespaces another migration owns
     */
    public TargetOwnership(
            MongoConnectionOptions target,
            String jobName,
            String source,
            long leaseMillis,
            boolean takeOver) {
        this.target = checkNotNull(target);
        this.jobName = checkNotNull(jobName);
        this.source = checkNotNull(source);
        checkArgument(leaseMillis > 0, "lease must be positive");
        this.leaseMillis = leaseMillis;
        this.takeOver = takeOver;
    }

    /** The record of one target namespace. */
    public record Owner(
            String namespace,
            String migrationId,
            String jobName,
            String source,
            Instant claimedAt,
            Instant leaseUntil,
            @Nullable Instant lastCheckpointAt,
            @Nullable String lastSavepoint) {

        public boolean leaseRunning(Instant now) {
            return leaseUntil.isAfter(now);
        }

        /** One line for messages: who, since when, until when. */
        public String describe() {
            return "job '"
                    + jobName
                    + "' (migration "
                    + migrationId
                    + ", reading "
                    + source
                    + ", claimed "
                    + claimedAt
                    + (lastCheckpointAt != null ? ", last checkpoint " + lastCheckpointAt : "")
                    + (lastSavepoint != null
                            ? ", last stopped with savepoint " + lastSavepoint
                            : "")
                    + ", lease until "
                    + leaseUntil
                    + ")";
        }
    }

    /**
     * Claims the namespaces for {@code migrationId}, or fails with the owners that hold them. A
     * namespace this migration owns already is renewed.
     *
     * @param namespaces target namespaces ({@code db.collection})
     * @throws UnrecoverableException naming the owner and how to take over, before anything is
     *     written
     */
    public void claim(String migrationId, List<String> namespaces) {
        Instant now = Instant.now();
        List<Owner> refused = new ArrayList<>();
        try (MongoClient client = target.createBoundedClient()) {
            for (String namespace : namespaces) {
                Owner held = claimOne(client, migrationId, namespace, now);
                if (held != null) {
                    refused.add(held);
                }
            }
        } catch (MongoException e) {
            throw unavailable("claim", e);
        }
        if (!refused.isEmpty()) {
            throw new UnrecoverableException(refusal(refused));
        }
    }

    /**
     * @return the owner that keeps the namespace, or null when it is claimed
     */
    @Nullable
    private Owner claimOne(MongoClient client, String migrationId, String namespace, Instant now) {
        MongoCollection<BsonDocument> records = records(client, namespace);
        Owner before = read(records, namespace);
        if (keeps(before, migrationId, now)) {
            return before;
        }
        boolean ours = before != null && before.migrationId().equals(migrationId);
        BsonDocument record =
                new BsonDocument("_id", new BsonString(ID_PREFIX + namespace))
                        .append("namespace", new BsonString(namespace))
                        .append("migration", new BsonString(migrationId))
                        .append("jobName", new BsonString(jobName))
                        .append("source", new BsonString(source))
                        .append("claimedAt", date(ours ? before.claimedAt() : now))
                        .append("leaseUntil", date(now.plusMillis(leaseMillis)));
        // Replace only the record read above: a claim made in between wins, and is looked at again.
        Bson filter =
                before == null
                        ? Filters.eq("_id", record.get("_id"))
                        : Filters.and(
                                Filters.eq("_id", record.get("_id")),
                                Filters.eq("migration", before.migrationId()),
                                Filters.eq("leaseUntil", date(before.leaseUntil())));
        try {
            long matched =
                    records.replaceOne(filter, record, new ReplaceOptions().upsert(before == null))
                            .getMatchedCount();
            if (before != null && matched == 0) {
                return afterLostRace(records, namespace, migrationId);
            }
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return afterLostRace(records, namespace, migrationId);
            }
            throw e;
        }
        if (before != null && !ours) {
            LOG.warn(
                    "Took over target {} from {}{}",
                    namespace,
                    before.describe(),
                    before.leaseRunning(now)
                            ? " (target.take-over=true)"
                            : " (its lease had run out)");
        }
        return null;
    }

    /**
     * Another claim came first: fine when it was this migration's own (another subtask), else
     * refused.
     */
    @Nullable
    private static Owner afterLostRace(
            MongoCollection<BsonDocument> records, String namespace, String migrationId) {
        Owner now = read(records, namespace);
        return now == null || now.migrationId().equals(migrationId) ? null : now;
    }

    /** Whether {@code owner} keeps the namespace from {@code migrationId}. */
    private boolean keeps(@Nullable Owner owner, String migrationId, Instant now) {
        return owner != null
                && !owner.migrationId().equals(migrationId)
                && owner.leaseRunning(now)
                && !takeOver;
    }

    /**
     * Checks without writing that {@code migrationId} may write the namespaces: for the subtasks
     * that do not claim themselves, and for pre-flight checks.
     *
     * @throws UnrecoverableException naming the owner and how to take over
     */
    public void check(String migrationId, List<String> namespaces) {
        Instant now = Instant.now();
        List<Owner> refused = new ArrayList<>();
        for (Owner owner : owners(namespaces)) {
            if (keeps(owner, migrationId, now)) {
                refused.add(owner);
            }
        }
        if (!refused.isEmpty()) {
            throw new UnrecoverableException(refusal(refused));
        }
    }

    /**
     * Renews the claims after a completed checkpoint, or fails when another migration has taken a
     * namespace over: two jobs must not write one collection.
     */
    public void renew(String migrationId, List<String> namespaces, Instant checkpointAt) {
        try (MongoClient client = target.createBoundedClient()) {
            renew(client, migrationId, namespaces, checkpointAt);
        } catch (MongoException e) {
            throw unavailable("renew", e);
        }
    }

    private void renew(
            MongoClient client, String migrationId, List<String> namespaces, Instant checkpointAt) {
        for (String namespace : namespaces) {
            MongoCollection<BsonDocument> records = records(client, namespace);
            long matched =
                    records.updateOne(
                                    Filters.and(
                                            Filters.eq("_id", ID_PREFIX + namespace),
                                            Filters.eq("migration", migrationId)),
                                    Updates.combine(
                                            Updates.set("lastCheckpointAt", date(checkpointAt)),
                                            Updates.set(
                                                    "leaseUntil",
                                                    date(checkpointAt.plusMillis(leaseMillis)))))
                            .getMatchedCount();
            if (matched == 0) {
                Owner now = read(records, namespace);
                throw new UnrecoverableException(
                        "This job no longer owns target "
                                + namespace
                                + ": "
                                + (now == null
                                        ? "its ownership record was removed"
                                        : "it was taken over by " + now.describe())
                                + ". It stops so that two jobs do not write one collection. To continue this"
                                + " migration, stop the other job and resume this one with"
                                + " target.take-over=true.");
            }
        }
    }

    /**
     * Records that the job was stopped with a savepoint, so that the owner records say where it
     * continues from. The client that stopped the job knows its name, not the migration id the job
     * restored.
     */
    public void recordSavepoint(String jobName, List<String> namespaces, String savepoint) {
        try (MongoClient client = target.createBoundedClient()) {
            for (String namespace : namespaces) {
                records(client, namespace)
                        .updateOne(
                                Filters.and(
                                        Filters.eq("_id", ID_PREFIX + namespace),
                                        Filters.eq("jobName", jobName)),
                                Updates.set("lastSavepoint", savepoint));
            }
        }
    }

    /** The owner of each namespace that has one. */
    public List<Owner> owners(List<String> namespaces) {
        List<Owner> owners = new ArrayList<>();
        try (MongoClient client = target.createBoundedClient()) {
            for (String namespace : namespaces) {
                Owner owner = read(records(client, namespace), namespace);
                if (owner != null) {
                    owners.add(owner);
                }
            }
        } catch (MongoException e) {
            throw unavailable("read", e);
        }
        return owners;
    }

    /** The target did not answer: a restart may well succeed, so the failure stays recoverable. */
    private RuntimeException unavailable(String what, MongoException e) {
        String cause =
                MongoFailures.isTimeout(e)
                        ? MongoFailures.whatTimedOut(
                                e, "the target", target.timeoutMillis(), "target.timeout")
                        : MongoFailures.describe(e);
        return new IllegalStateException(
                "Could not "
                        + what
                        + " this job's claim on its target collections (records in "
                        + TargetMetadata.COLLECTION
                        + " of the target database) on "
                        + target.maskedUri()
                        + ": "
                        + cause,
                e);
    }

    /** The message of a refused claim: who owns what, and the two ways on. */
    public static String refusal(List<Owner> owners) {
        StringBuilder text =
                new StringBuilder(
                        "The target is owned by another migration, which may still write to it: ");
        for (int i = 0; i < owners.size(); i++) {
            Owner owner = owners.get(i);
            text.append(i == 0 ? "" : "; ")
                    .append(owner.namespace())
                    .append(" by ")
                    .append(owner.describe());
        }
        return text.append(
                        ". Resume that migration from its savepoint instead, choose another target, or take the"
                                + " target over with target.take-over=true (the other job then stops at its next"
                                + " checkpoint). Nothing was written.")
                .toString();
    }

    @Nullable
    private static Owner read(MongoCollection<BsonDocument> records, String namespace) {
        BsonDocument doc = records.find(Filters.eq("_id", ID_PREFIX + namespace)).first();
        if (doc == null) {
            return null;
        }
        return new Owner(
                namespace,
                doc.getString("migration").getValue(),
                doc.getString("jobName", new BsonString("?")).getValue(),
                doc.getString("source", new BsonString("?")).getValue(),
                instant(doc, "claimedAt"),
                Objects.requireNonNull(instant(doc, "leaseUntil")),
                instant(doc, "lastCheckpointAt"),
                doc.containsKey("lastSavepoint")
                        ? doc.getString("lastSavepoint").getValue()
                        : null);
    }

    @Nullable
    private static Instant instant(BsonDocument doc, String field) {
        return doc.isDateTime(field)
                ? Instant.ofEpochMilli(doc.getDateTime(field).getValue())
                : null;
    }

    private static BsonDateTime date(Instant instant) {
        return new BsonDateTime(instant.toEpochMilli());
    }

    private static MongoCollection<BsonDocument> records(MongoClient client, String namespace) {
        String database = namespace.substring(0, namespace.indexOf('.'));
        return client.getDatabase(database)
                .getCollection(TargetMetadata.COLLECTION, BsonDocument.class)
                .withWriteConcern(WriteConcern.MAJORITY);
    }
}
