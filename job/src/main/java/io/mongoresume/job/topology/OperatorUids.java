package io.mongoresume.job.topology;

/**
 * Operator uids. They tie savepoint state to operators: never change one, or a resume loses that
 * operator's breakpoint (Flink would refuse the savepoint rather than silently re-copy).
 */
public final class OperatorUids {

    public static final String SNAPSHOT_SOURCE = "snapshot-source";
    public static final String CHANGE_STREAM_SOURCE = "change-stream-source";
    public static final String MERGE = "snapshot-cdc-merge";
    public static final String BREAKPOINT_GUARD = "breakpoint-guard";
    public static final String SINK = "mongo-sink";

    private OperatorUids() {}
}
