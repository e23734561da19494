package io.mongoresume.job.config;

import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

import static org.apache.flink.configuration.description.TextElement.text;

/** What the job copies. {@link #toString()} is the value users write. */
public enum SyncType implements DescribedEnum {
    FULL("full", "Copy the collections as they are now (snapshot only), then finish."),
    INCREMENTAL(
            "incremental", "Apply changes only, from now or from cdc.start-at / cdc.resume-token."),
    FULL_INCREMENTAL(
            "full+incremental",
            "Snapshot and change stream together, merged by _id, so the target converges while the source"
                    + " keeps changing; then keep applying changes.");

    private final String value;
    private final String description;

    SyncType(String value, String description) {
        this.value = value;
        this.description = description;
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

    @Override
    public InlineElement getDescription() {
        return text(description);
    }
}
