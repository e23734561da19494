package io.mongoresume.connectors.snapshot.query;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

import com.mongodb.ReadConcern;

import static org.apache.flink.configuration.description.TextElement.text;

/**
 * The read concern of the snapshot's queries: the documents of each split and the partitioners'
 * {@code _id} queries. Change streams need none: they only return majority-committed changes.
 */
@PublicEvolving
public enum SnapshotReadConcern implements DescribedEnum {
    MAJORITY(
            ReadConcern.MAJORITY,
            "Only data a majority of the replica set has written, which a failover cannot roll back."),
    LOCAL(
            ReadConcern.LOCAL,
            "The queried member's latest data, including writes a failover may still roll back."),
    AVAILABLE(
            ReadConcern.AVAILABLE,
            "Like local; on a sharded cluster it may also return orphaned documents of chunk migrations.");

    private final ReadConcern readConcern;
    private final String description;

    SnapshotReadConcern(ReadConcern readConcern, String description) {
        this.readConcern = readConcern;
        this.description = description;
    }

    /** The driver's read concern of this level. */
    public ReadConcern readConcern() {
        return readConcern;
    }

    /** The value users write in job files: {@code majority}, {@code local}, {@code available}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public InlineElement getDescription() {
        return text(description);
    }
}
