package io.mongoresume.connectors.snapshot.enumerator.partition;

import org.apache.flink.annotation.PublicEvolving;

import io.mongoresume.connectors.common.config.OptionEnum;
import io.mongoresume.connectors.common.config.OptionEnum.Described;

/** How the snapshot source cuts a collection into splits. */
@PublicEvolving
public enum PartitionStrategy implements OptionEnum {
    @Described(
            "Boundaries every N-th _id (N = partition size), found with one ordered _id-only scan"
                    + " of the collection. Even splits; the scan costs one pass over the _id index.")
    COUNT,
    @Described(
            "Reads the smallest and largest _id of each type and interpolates partition-count - 1"
                    + " boundaries between them (numbers, ObjectIds, strings, dates). Cheap; splits are"
                    + " even only if the _ids are evenly spread.")
    MIN_MAX;

    /** The value users write in job files: {@code count}, {@code min-max}. */
    @Override
    public String toString() {
        return OptionEnum.kebab(this);
    }
}
