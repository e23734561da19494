package io.mongoresume.job.precheck;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import io.mongoresume.connectors.cdc.OplogProbe;
import org.bson.BsonTimestamp;
import org.bson.Document;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.flink.util.Preconditions.checkArgument;

/**
 * Whether the source's oplog reaches back far enough: against the snapshot time estimated from the
 * selected collections' counts, and against cdc.start-at where one is given.
 */
final class OplogWindowCheck implements PrecheckStep {

    /** The oplog window must cover this multiple of the estimated snapshot time. */
    static final int OPLOG_WINDOW_FACTOR = 2;

    private static final String NAME = "oplog window";

    private final long docsPerSecond;

    /**
     * @param docsPerSecond the snapshot throughput assumed for the estimate
     */
    OplogWindowCheck(long docsPerSecond) {
        checkArgument(docsPerSecond > 0, "docs per second must be positive");
        this.docsPerSecond = docsPerSecond;
    }

    @Override
    public List<CheckResult> run(PrecheckContext context) {
        boolean needed = context.plan().sync().hasChangeStream();
        Instant startAt = context.plan().start().startAt();
        MongoClient source = context.source().client();
        long totalDocs = context.estimatedDocuments();
        long estimateSeconds = (totalDocs + docsPerSecond - 1) / docsPerSecond;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("estimatedSnapshotSeconds", estimateSeconds);
        data.put("assumedDocsPerSecond", docsPerSecond);
        data.put("totalDocuments", totalDocs);
        String estimate =
                "estimated snapshot time "
                        + estimateSeconds
                        + " s ("
                        + totalDocs
                        + " docs at "
                        + docsPerSecond
                        + " docs/s, --assume-docs-per-second)";
        BsonTimestamp first;
        BsonTimestamp last;
        try {
            first = OplogProbe.oldestTime(source);
            last = OplogProbe.newestTime(source);
        } catch (MongoException e) {
            first = null;
            last = null;
            data.put("error", e.getCode());
        }
        data.put("needed", needed);
        if (first == null || last == null) {
            data.put("exposed", false);
            if (!needed) {
                return List.of(
                        CheckResult.pass(
                                NAME,
                                "not needed for sync.type=full (the server does not expose it)",
                                data));
            }
            return List.of(
                    CheckResult.warn(
                            NAME,
                            "not exposed by the server (no readable local.oplog.rs); cannot compare with the "
                                    + estimate,
                            data));
        }
        long windowSeconds = Math.max(0, last.getTime() - first.getTime());
        data.put("exposed", true);
        data.put("windowSeconds", windowSeconds);
        String detail =
                "oplog window " + windowSeconds + " s vs " + estimate + oplogFill(source, data);
        if (!needed) {
            return List.of(
                    CheckResult.pass(NAME, detail + "; not needed for sync.type=full", data));
        }
        String lost = startAt == null ? null : StartAtCheck.lostHistory(startAt, first);
        if (lost != null) {
            return List.of(CheckResult.fail(NAME, lost));
        }
        if (windowSeconds < OPLOG_WINDOW_FACTOR * estimateSeconds) {
            return List.of(
                    CheckResult.warn(
                            NAME,
                            detail
                                    + ": shorter than "
                                    + OPLOG_WINDOW_FACTOR
                                    + "x the snapshot time, the change stream may lose its start position."
                                    + " Enlarge the oplog (replSetResizeOplog) or the snapshot throughput",
                            data));
        }
        return List.of(CheckResult.pass(NAME, detail, data));
    }

    /** How full the capped oplog is, where collStats tells: a young oplog's window still grows. */
    private static String oplogFill(MongoClient source, Map<String, Object> data) {
        try {
            Document stats =
                    source.getDatabase("local").runCommand(new Document("collStats", "oplog.rs"));
            Number size = stats.get("size", Number.class);
            Number maxSize = stats.get("maxSize", Number.class);
            if (size == null || maxSize == null || maxSize.longValue() <= 0) {
                return "";
            }
            data.put("oplogSizeBytes", size.longValue());
            data.put("oplogMaxSizeBytes", maxSize.longValue());
            if (size.doubleValue() < 0.9 * maxSize.doubleValue()) {
                return " (oplog "
                        + size.longValue() / (1 << 20)
                        + " of "
                        + maxSize.longValue() / (1 << 20)
                        + " MB used: not full yet, the window still grows)";
            }
            return "";
        } catch (MongoException e) {
            return "";
        }
    }
}
