package io.mongoresume.connectors.sink.writer;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.ReplaceOptions;
import io.mongoresume.connectors.common.UnrecoverableException;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.destination.TargetMetadata;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.sink.WriteErrorPolicy;
import io.mongoresume.connectors.sink.writer.operation.WriteOp;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Writes the target refuses for good, per {@link WriteErrorPolicy}: either the job fails at once
 * with everything needed to fix the cause, or the write goes to the dead-letter collection {@value
 * #DEAD_LETTERS} of the target database and the job goes on. A dead letter is keyed by target
 * namespace and {@code _id}, so a write replayed after a restart records the same letter again
 * instead of a second one.
 */
final class RefusedWrites {

    private static final Logger LOG = LoggerFactory.getLogger(RefusedWrites.class);

    static final String DEAD_LETTERS = TargetMetadata.PREFIX + "_dead_letters";

    /** MongoDB's limit on one document (maxBsonObjectSize). */
    static final int MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

    /**
     * A document carries at most this much into its dead letter; a bigger one is recorded by size.
     */
    private static final int MAX_DEAD_LETTER_DOCUMENT_BYTES = 15 * 1024 * 1024;

    /** Dead letters logged one by one per namespace before the log only counts them. */
    private static final int LOGGED_PER_NAMESPACE = 10;

    private final WriteErrorPolicy policy;
    private final MongoClient client;
    private final String targetUri;
    private final Map<String, Integer> logged = new HashMap<>();

    RefusedWrites(WriteErrorPolicy policy, MongoClient client, String maskedTargetUri) {
        this.policy = checkNotNull(policy);
        this.client = checkNotNull(client);
        this.targetUri = checkNotNull(maskedTargetUri);
    }

    /**
     * Refuses the writes whose document is over MongoDB's 16 MiB limit: the driver would refuse the
     * whole bulk without saying which document, and no server takes them. Handled one by one before
     * anything is sent.
     *
     * @return the other writes, in order
     */
    List<WriteOp> refuseTooLarge(
            String targetNamespace, List<WriteOp> ops, NamespaceMetrics metrics) {
        List<WriteOp> kept = null;
        for (int i = 0; i < ops.size(); i++) {
            WriteOp op = ops.get(i);
            if (isTooLarge(op)) {
                if (kept == null) {
                    kept = new ArrayList<>(ops.subList(0, i));
                }
                refused(
                        targetNamespace,
                        op,
                        -1,
                        "the document is over MongoDB's limit of "
                                + MAX_DOCUMENT_BYTES
                                + " bytes for one document",
                        metrics);
            } else if (kept != null) {
                kept.add(op);
            }
        }
        return kept == null ? ops : kept;
    }

    private static boolean isTooLarge(WriteOp op) {
        byte[] document = op.event().documentBytes();
        return document != null && document.length > MAX_DOCUMENT_BYTES;
    }

    /**
     * Handles one refused write.
     *
     * @param targetNamespace where the write was sent
     * @param code the server's error code, or -1 for a refusal on the client side
     * @throws UnrecoverableException under {@link WriteErrorPolicy#FAIL}
     */
    void refused(
            String targetNamespace,
            WriteOp op,
            int code,
            String message,
            NamespaceMetrics metrics) {
        MigrationEvent event = op.event();
        String what =
                describe(op)
                        + " of "
                        + event.namespace()
                        + " was refused by the target "
                        + targetNamespace
                        + " on "
                        + targetUri
                        + ": "
                        + (code >= 0 ? "error " + code + ", " : "")
                        + MongoConnectionOptions.mask(message);
        if (policy == WriteErrorPolicy.FAIL) {
            throw new UnrecoverableException(
                    what
                            + ". A retry or restart cannot change that answer, so the job stopped. Fix the cause"
                            + " (e.g. a unique index or validator on the target that the source data does not"
                            + " meet, or the document's size), then resume from the last checkpoint; or set"
                            + " target.on-write-error=skip-and-log to record such writes in "
                            + databaseOf(targetNamespace)
                            + "."
                            + DEAD_LETTERS
                            + " and go on.");
        }
        deadLetter(targetNamespace, event, op, code, message);
        metrics.deadLettered();
        int count = logged.merge(targetNamespace, 1, Integer::sum);
        if (count <= LOGGED_PER_NAMESPACE) {
            LOG.warn(
                    "{}; recorded in {}.{} (target.on-write-error=skip-and-log){}",
                    what,
                    databaseOf(targetNamespace),
                    DEAD_LETTERS,
                    count == LOGGED_PER_NAMESPACE
                            ? ". Further refused writes to "
                                    + targetNamespace
                                    + " are only counted (writesDeadLettered)"
                            : "");
        }
    }

    private void deadLetter(
            String targetNamespace, MigrationEvent event, WriteOp op, int code, String message) {
        BsonValue id = event.id();
        BsonDocument key =
                new BsonDocument("namespace", new BsonString(targetNamespace))
                        .append("documentId", id);
        BsonDocument letter =
                new BsonDocument("_id", key)
                        .append("sourceNamespace", new BsonString(event.namespace()))
                        .append(
                                "operation",
                                new BsonString(op.kind().name().toLowerCase(java.util.Locale.ROOT)))
                        .append("code", new BsonInt32(code))
                        .append("message", new BsonString(MongoConnectionOptions.mask(message)))
                        .append("at", new BsonDateTime(System.currentTimeMillis()));
        byte[] document = event.documentBytes();
        if (document != null) {
            letter.append("documentBytes", new BsonInt64(document.length));
            if (document.length <= MAX_DEAD_LETTER_DOCUMENT_BYTES) {
                letter.append("document", new RawBsonDocument(document));
            } else {
                letter.append(
                        "documentOmitted",
                        new BsonString("too large to record; it is at the source"));
            }
        }
        collection(targetNamespace)
                .replaceOne(
                        new BsonDocument("_id", key), letter, new ReplaceOptions().upsert(true));
    }

    private MongoCollection<BsonDocument> collection(String targetNamespace) {
        return client.getDatabase(databaseOf(targetNamespace))
                .getCollection(DEAD_LETTERS, BsonDocument.class);
    }

    private static String describe(WriteOp op) {
        MigrationEvent event = op.event();
        byte[] document = event.documentBytes();
        return "The "
                + (op.kind().isDeletion() ? "delete" : "write")
                + " of _id "
                + idText(event.id())
                + (document != null ? " (" + document.length + " bytes)" : "");
    }

    private static String idText(@Nullable BsonValue id) {
        if (id == null) {
            return "?";
        }
        if (id instanceof BsonBinary && ((BsonBinary) id).getData().length > 64) {
            return "<binary of " + ((BsonBinary) id).getData().length + " bytes>";
        }
        String json = new BsonDocument("v", id).toJson();
        json = json.substring(json.indexOf(':') + 1, json.length() - 1).trim();
        return json.length() > 200 ? json.substring(0, 200) + "…" : json;
    }

    private static String databaseOf(String namespace) {
        return namespace.substring(0, namespace.indexOf('.'));
    }
}
