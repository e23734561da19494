package io.mongoresume.connectors.snapshot.enumerator.partition;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

import static org.apache.flink.configuration.description.TextElement.text;

/** How the snapshot source cuts a collection into splits. */
@PublicEvolving
public enum PartitionStrategy implements DescribedEnum {
    COUNT(
            "Boundaries every N-th _id (N = partition size), found with one ordered _id-only scan"
                    + " of the collection. Even splits; the scan costs one pass over the _id index."),
    MIN_MAX(
            "Reads the smallest and largest _id of each type and interpolates partition-count - 1"
                    + " boundaries between them (numbers, ObjectIds, strings, dates). Cheap; splits are"
                    + " even only if the _ids are evenly spread.");

    private final String description;

    PartitionStrategy(String description) {
        this.description = description;
    }

    /** The value users write in job files: {@code count}, {@code min-max}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @Override
    public InlineElement getDescription() {
        return text(description);
    }
}
