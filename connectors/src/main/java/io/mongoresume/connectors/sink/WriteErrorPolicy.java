package io.mongoresume.connectors.sink;

import org.apache.flink.annotation.PublicEvolving;

import io.mongoresume.connectors.common.config.OptionEnum;
import io.mongoresume.connectors.common.config.OptionEnum.Described;

/**
 * What the sink does with a write the target refuses for good: a duplicate key on a unique
 * secondary index, a validation failure, a document over the size limit. A retry or a restart
 * cannot change such an answer.
 */
@PublicEvolving
public enum WriteErrorPolicy implements OptionEnum {
    @Described(
            "Fail the job at once (no restart) naming the collection, the _id, the server's message and what to"
                    + " do; resume from the last checkpoint once the cause is fixed.")
    FAIL,
    @Described(
            "Record the refused write (namespace, _id, error, document) in the target database's"
                    + " __mongo_resume_dead_letters collection, count it (metric writesDeadLettered) and go on.")
    SKIP_AND_LOG;

    /** The value users write in job files: {@code fail}, {@code skip-and-log}. */
    @Override
    public String toString() {
        return OptionEnum.kebab(this);
    }
}
