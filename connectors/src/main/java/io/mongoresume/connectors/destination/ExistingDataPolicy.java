package io.mongoresume.connectors.destination;

import org.apache.flink.annotation.PublicEvolving;

import io.mongoresume.connectors.common.config.OptionEnum;
import io.mongoresume.connectors.common.config.OptionEnum.Described;

/**
 * What to do with a target collection that already exists before its source collection is copied.
 */
@PublicEvolving
public enum ExistingDataPolicy implements OptionEnum {
    @Described(
            "Keep the target collection's documents and indexes; source documents are upserted over them.")
    KEEP,
    @Described(
            "Remove every document of the target collection but keep the collection, its options and indexes.")
    CLEAR,
    @Described("Drop the target collection and recreate it with the source's options and indexes.")
    DROP;

    /** The value users write in job files: {@code keep}, {@code clear}, {@code drop}. */
    @Override
    public String toString() {
        return OptionEnum.kebab(this);
    }
}
