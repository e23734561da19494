package io.mongoresume.job.verify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code verify} found in one collection: counts seen while hashing, ranges compared, and the
 * {@code _id}s (relaxed extended JSON) that are missing on the target, extra on the target, or
 * different, each list capped with its true total.
 */
public final class CollectionReport {

    /** One category of differences: the first {@code cap} ids and the total. */
    public static final class Ids {
        private final int cap;
        private final List<String> ids = new ArrayList<>();
        private long total;

        Ids(int cap) {
            this.cap = cap;
        }

        void add(String id) {
            total++;
            if (ids.size() < cap) {
                ids.add(id);
            }
        }

        public List<String> ids() {
            return Collections.unmodifiableList(ids);
        }

        public long total() {
            return total;
        }

        Map<String, Object> toData() {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("total", total);
            data.put("ids", ids);
            return data;
        }
    }

    final String collection;
    final Ids missing;
    final Ids extra;
    final Ids different;
    long sourceDocuments;
    long targetDocuments;
    int ranges;
    int differingRanges;
    int rangesResolvedOnRecheck;

    CollectionReport(String collection, int cap) {
        this.collection = collection;
        this.missing = new Ids(cap);
        this.extra = new Ids(cap);
        this.different = new Ids(cap);
    }

    public String collection() {
        return collection;
    }

    public Ids missing() {
        return missing;
    }

    public Ids extra() {
        return extra;
    }

    public Ids different() {
        return different;
    }

    public long differences() {
        return missing.total + extra.total + different.total;
    }

    public boolean equal() {
        return differences() == 0;
    }

    Map<String, Object> toData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("collection", collection);
        data.put("equal", equal());
        data.put("sourceDocuments", sourceDocuments);
        data.put("targetDocuments", targetDocuments);
        data.put("ranges", ranges);
        data.put("differingRanges", differingRanges);
        data.put("rangesResolvedOnRecheck", rangesResolvedOnRecheck);
        data.put("missing", missing.toData());
        data.put("extra", extra.toData());
        data.put("different", different.toData());
        return data;
    }

    List<String> lines() {
        List<String> lines = new ArrayList<>();
        String counts =
                "source " + sourceDocuments + ", target " + targetDocuments + " documents, ";
        if (equal()) {
            lines.add(
                    "OK "
                            + collection
                            + ": "
                            + counts
                            + ranges
                            + " range(s) equal"
                            + (rangesResolvedOnRecheck > 0
                                    ? " (" + rangesResolvedOnRecheck + " converged on re-check)"
                                    : ""));
            return lines;
        }
        lines.add(
                "DIFF "
                        + collection
                        + ": "
                        + counts
                        + differingRanges
                        + " of "
                        + ranges
                        + " range(s) differ: "
                        + missing.total
                        + " missing, "
                        + extra.total
                        + " extra, "
                        + different.total
                        + " different");
        add(lines, "missing on target", missing);
        add(lines, "extra on target", extra);
        add(lines, "different", different);
        return lines;
    }

    private static void add(List<String> lines, String what, Ids ids) {
        if (ids.total == 0) {
            return;
        }
        lines.add(
                "  "
                        + what
                        + " ("
                        + ids.total
                        + (ids.total > ids.ids.size() ? ", first " + ids.ids.size() : "")
                        + "): "
                        + String.join(", ", ids.ids));
    }
}
