package io.mongoresume.connectors.snapshot.query;

import org.apache.flink.annotation.PublicEvolving;

import com.mongodb.ReadConcern;
import io.mongoresume.connectors.common.config.OptionEnum;
import io.mongoresume.connectors.common.config.OptionEnum.Described;

/**
 * The read concern of the snapshot's queries: the documents of each split and the partitioners'
 * {@code _id} queries. Change streams need none: they only return majority-committed changes.
 */
@PublicEvolving
public enum SnapshotReadConcern implements OptionEnum {
    @Described(
            "Only data a majority of the replica set has written, which a failover cannot roll back.")
    MAJORITY(ReadConcern.MAJORITY),
    @Described("The queried member's latest data, including writes a failover may still roll back.")
    LOCAL(ReadConcern.LOCAL),
    @Described(
            "Like local; on a sharded cluster it may also return orphaned documents of chunk migrations.")
    AVAILABLE(ReadConcern.AVAILABLE);

    private final ReadConcern readConcern;

    SnapshotReadConcern(ReadConcern readConcern) {
        this.readConcern = readConcern;
    }

    /** The driver's read concern of this level. */
    public ReadConcern readConcern() {
        return readConcern;
    }

    /** The value users write in job files: {@code majority}, {@code local}, {@code available}. */
    @Override
    public String toString() {
        return OptionEnum.kebab(this);
    }
}
