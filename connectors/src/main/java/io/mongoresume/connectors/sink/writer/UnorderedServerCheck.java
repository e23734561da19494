package io.mongoresume.connectors.sink.writer;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ordered bulk must stop at its first failing write, which is what resuming at that write relies
 * on. mongo-java-server goes on with the rest; say so once, since a resumed bulk then re-applies
 * them.
 */
final class UnorderedServerCheck {

    private static final Logger LOG = LoggerFactory.getLogger(UnorderedServerCheck.class);

    private boolean reported;

    /** Looks at a bulk to {@code namespace} that failed at its write {@code errorIndex}. */
    void check(String namespace, MongoBulkWriteException e, int errorIndex) {
        if (reported || !e.getWriteResult().wasAcknowledged()) {
            return;
        }
        BulkWriteResult result = e.getWriteResult();
        int applied =
                result.getInsertedCount()
                        + result.getMatchedCount()
                        + result.getDeletedCount()
                        + result.getUpserts().size();
        if (applied > errorIndex) {
            reported = true;
            LOG.warn(
                    "The target server applied {} writes of an ordered bulk to {} that failed at write {}:"
                            + " it does not stop ordered bulk writes at the first error. Writes after a"
                            + " failed one may be applied twice (harmless for upserts and deletes).",
                    applied,
                    namespace,
                    errorIndex);
        }
    }
}
