package io.mongoresume.connectors.snapshot.query;

import org.apache.flink.annotation.PublicEvolving;

import io.mongoresume.connectors.common.config.OptionEnum;
import io.mongoresume.connectors.common.config.OptionEnum.Described;

/** How a snapshot split is read: as a series of bounded queries, or as one query. */
@PublicEvolving
public enum SplitQueryMode implements OptionEnum {
    @Described(
            "batched where the server's query plan for the split's _id range is an index scan (asked with"
                    + " explain), single where it scans the collection or cannot say.")
    AUTO,
    @Described(
            "Queries of at most batch-read-limit documents, each continuing after the last _id read: cheap"
                    + " when _id ranges are index scans.")
    BATCHED,
    @Described(
            "One query per split (after a restore: after the last _id emitted). Where every query scans"
                    + " the whole collection (no range use of the _id index), batches would cost one"
                    + " collection scan each.")
    SINGLE;

    /** The value users write in job files: {@code auto}, {@code batched}, {@code single}. */
    @Override
    public String toString() {
        return OptionEnum.kebab(this);
    }
}
