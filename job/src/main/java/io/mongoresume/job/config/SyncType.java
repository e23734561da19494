package io.mongoresume.job.config;

import io.mongoresume.connectors.common.config.OptionEnum;
import io.mongoresume.connectors.common.config.OptionEnum.Described;

/** What the job copies. {@link #toString()} is the value users write. */
public enum SyncType implements OptionEnum {
    @Described("Copy the collections as they are now (snapshot only), then finish.")
    FULL("full"),
    @Described("Apply changes only, from now or from cdc.start-at / cdc.resume-token.")
    INCREMENTAL("incremental"),
    @Described(
            "Snapshot and change stream together, merged by _id, so the target converges while the source"
                    + " keeps changing; then keep applying changes.")
    FULL_INCREMENTAL("full+incremental");

    private final String value;

    SyncType(String value) {
        this.value = value;
    }

    public boolean hasSnapshot() {
        return this != INCREMENTAL;
    }

    public boolean hasChangeStream() {
        return this != FULL;
    }

    @Override
    public String toString() {
        return value;
    }
}
