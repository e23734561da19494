package io.mongoresume.connectors.sink;

import org.apache.flink.annotation.PublicEvolving;

import io.mongoresume.connectors.common.config.OptionEnum;
import io.mongoresume.connectors.common.config.OptionEnum.Described;

import java.io.Serializable;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * How the sink turns each event type into a write. Immutable and serializable; build it with {@link
 * #builder()}. The default ({@link #defaults()}) upserts inserts, snapshot rows and updates and
 * deletes deletes, which is what the merge's convergence argument (design §5) assumes. The other
 * policies are conditional writes: they are applied in event order, but unlike the default they are
 * not idempotent under at-least-once replay (a replayed prefix can change the outcome of a later
 * conditional write).
 */
@PublicEvolving
public record WritePolicy(
        InsertPolicy insert,
        UpdatePolicy update,
        DeletePolicy delete,
        Mode mode,
        boolean keepDeleted)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Soft-delete marker (with {@link Builder#keepDeleted}): set to {@code true} on a deleted
     * document.
     */
    public static final String DELETED_FIELD = "_deleted";

    /** Soft-delete marker: the source time of the delete, a BSON date. */
    public static final String DELETED_AT_FIELD = "_deletedAt";

    /** What an insert (and a snapshot row) does when the target already has the {@code _id}. */
    public enum InsertPolicy implements OptionEnum {
        @Described("Replace the target document, or insert it when missing.")
        UPSERT,
        @Described(
                "Insert only when the target has no document with this _id; keep an existing one.")
        IGNORE_EXISTING;

        /** The value users write in job files, e.g. {@code ignore-existing}. */
        @Override
        public String toString() {
            return OptionEnum.kebab(this);
        }
    }

    /** What an update does. */
    public enum UpdatePolicy implements OptionEnum {
        @Described("Replace the target document, or insert it when missing.")
        UPSERT,
        @Described("Replace the target document only when it exists; never create one.")
        IGNORE_MISSING;

        /** The value users write in job files, e.g. {@code ignore-missing}. */
        @Override
        public String toString() {
            return OptionEnum.kebab(this);
        }
    }

    /** What a delete does. */
    public enum DeletePolicy implements OptionEnum {
        @Described("Delete the target document.")
        DELETE,
        @Described("Keep the target document as it is.")
        IGNORE;

        /** The value users write in job files: {@code delete}, {@code ignore}. */
        @Override
        public String toString() {
            return OptionEnum.kebab(this);
        }
    }

    /** Which event types are written at all. */
    public enum Mode implements OptionEnum {
        @Described("Every event type is written according to its policy.")
        BY_EVENT_TYPE,
        @Described("Only inserts and snapshot rows are written; updates and deletes are discarded.")
        APPEND_ONLY;

        /** The value users write in job files, e.g. {@code append-only}. */
        @Override
        public String toString() {
            return OptionEnum.kebab(this);
        }
    }

    public WritePolicy {
        checkNotNull(insert, "insert policy");
        checkNotNull(update, "update policy");
        checkNotNull(delete, "delete policy");
        checkNotNull(mode, "mode");
        checkArgument(
                !(keepDeleted && mode == Mode.APPEND_ONLY),
                "keepDeleted cannot be combined with mode APPEND_ONLY: append-only discards deletes, so"
                        + " there would be nothing to mark. Use BY_EVENT_TYPE with keepDeleted, or drop"
                        + " keepDeleted.");
        checkArgument(
                !(keepDeleted && delete == DeletePolicy.IGNORE),
                "keepDeleted needs delete policy DELETE (it turns deletes into markers); with delete"
                        + " policy IGNORE deletes are discarded and nothing would be marked.");
    }

    /** Upsert inserts, snapshot rows and updates; delete deletes. */
    public static WritePolicy defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return "WritePolicy{insert="
                + insert
                + ", update="
                + update
                + ", delete="
                + delete
                + ", mode="
                + mode
                + ", keepDeleted="
                + keepDeleted
                + '}';
    }

    /** Builder of {@link WritePolicy}; every setting has the default of {@link #defaults()}. */
    @PublicEvolving
    public static final class Builder {
        private InsertPolicy insert = InsertPolicy.UPSERT;
        private UpdatePolicy update = UpdatePolicy.UPSERT;
        private DeletePolicy delete = DeletePolicy.DELETE;
        private Mode mode = Mode.BY_EVENT_TYPE;
        private boolean keepDeleted;

        private Builder() {}

        public Builder insert(InsertPolicy insert) {
            this.insert = checkNotNull(insert, "insert policy");
            return this;
        }

        public Builder update(UpdatePolicy update) {
            this.update = checkNotNull(update, "update policy");
            return this;
        }

        public Builder delete(DeletePolicy delete) {
            this.delete = checkNotNull(delete, "delete policy");
            return this;
        }

        public Builder mode(Mode mode) {
            this.mode = checkNotNull(mode, "mode");
            return this;
        }

        /**
         * Instead of removing a deleted document, mark it: {@code {$set: {_deleted: true,
         * _deletedAt: <source time of the delete>}}} (see {@link #DELETED_FIELD}, {@link
         * #DELETED_AT_FIELD}). A later insert of the same {@code _id} replaces the whole document,
         * markers included.
         */
        public Builder keepDeleted(boolean keepDeleted) {
            this.keepDeleted = keepDeleted;
            return this;
        }

        public WritePolicy build() {
            return new WritePolicy(insert, update, delete, mode, keepDeleted);
        }
    }
}
