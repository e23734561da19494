package io.mongoresume.connectors.destination;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

import static org.apache.flink.configuration.description.TextElement.text;

/**
 * What to do with a target collection that already exists before its source collection is copied.
 */
@PublicEvolving
public enum ExistingDataPolicy implements DescribedEnum {
    KEEP(
            "Keep the target collection's documents and indexes; source documents are upserted over them."),
    CLEAR(
            "Remove every document of the target collection but keep the collection, its options and indexes."),
    DROP("Drop the target collection and recreate it with the source's options and indexes.");

    private final String description;

    ExistingDataPolicy(String description) {
        this.description = description;
    }

    /** The value users write in job files: {@code keep}, {@code clear}, {@code drop}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public InlineElement getDescription() {
        return text(description);
    }
}
