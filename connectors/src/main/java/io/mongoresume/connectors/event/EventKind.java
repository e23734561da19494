package io.mongoresume.connectors.event;

/**
 * What a {@link MigrationEvent} means for its key. The byte codes are part of the serialized form.
 */
public enum EventKind {
    /** A document read by the snapshot: "the document was X when read". */
    SNAPSHOT_ROW((byte) 0),
    /** A change-stream insert: "the document is now X". */
    INSERT((byte) 1),
    /** A change-stream update or replace with the full document: "the document is now X". */
    UPDATE((byte) 2),
    /** A change-stream delete: "the document is gone". */
    DELETE((byte) 3),
    /** A collection appeared at the source. No key document. */
    CREATE_COLLECTION((byte) 4),
    /** A collection was dropped at the source. No key document. */
    DROP_COLLECTION((byte) 5),
    /**
     * Not data: one snapshot reader has emitted every row of a collection. Each reader sends one to
     * every merge subtask (its {@code _id} is chosen for that); the merge consumes it, nothing
     * writes it.
     */
    SNAPSHOT_DONE((byte) 6);

    private final byte code;

    EventKind(byte code) {
        this.code = code;
    }

    public byte code() {
        return code;
    }

    /** Whether it comes from a change stream (document changes and DDL). */
    public boolean isChange() {
        return this != SNAPSHOT_ROW && this != SNAPSHOT_DONE;
    }

    /** Whether it is a marker between operators rather than something to write. */
    public boolean isMarker() {
        return this == SNAPSHOT_DONE;
    }

    public boolean isDdl() {
        return this == CREATE_COLLECTION || this == DROP_COLLECTION;
    }

    public static EventKind fromCode(byte code) {
        for (EventKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown event kind code: " + code);
    }
}
