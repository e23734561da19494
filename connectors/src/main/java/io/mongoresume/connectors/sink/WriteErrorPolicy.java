package io.mongoresume.connectors.sink;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

import static org.apache.flink.configuration.description.TextElement.text;

/**
 * What the sink does with a write the target refuses for good: a duplicate key on a unique
 * secondary index, a validation failure, a document over the size limit. A retry or a restart
 * cannot change such an answer.
 */
@PublicEvolving
public enum WriteErrorPolicy implements DescribedEnum {
    FAIL(
            "Fail the job at once (no restart) naming the collection, the _id, the server's message and what to"
                    + " do; resume from the last checkpoint once the cause is fixed."),
    SKIP_AND_LOG(
            "Record the refused write (namespace, _id, error, document) in the target database's"
                    + " __mongo_resume_dead_letters collection, count it (metric writesDeadLettered) and go on.");

    private final String description;

    WriteErrorPolicy(String description) {
        this.description = description;
    }

    /** The value users write in job files: {@code fail}, {@code skip-and-log}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @Override
    public InlineElement getDescription() {
        return text(description);
    }
}
