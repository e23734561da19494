package io.mongoresume.job.topology;

import io.mongoresume.job.plan.MigrationPlan;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a job's breakpoint was taken with: the effective value of every option (URIs masked), kept
 * in every checkpoint and savepoint by {@link BreakpointGuard} and compared with the job file at a
 * resume.
 *
 * <p>{@link #FIXED} options decide which documents go where; changing one of them at a resume would
 * read from or write to other places than the breakpoint describes, or skip changes, so the resume
 * is refused. Every other change is honoured (and listed once in the log). The snapshot source
 * checks its partition options against its own state, where it knows which collections they still
 * affect.
 */
final class PlanRecord implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Options a resume must keep; their change is refused. */
    static final Set<String> FIXED = MigrationPlan.RESUME_FIXED_OPTIONS;

    /** Checked by the snapshot source, which knows which collections they still affect. */
    private static final String PARTITION_PREFIX = MigrationPlan.PARTITION_OPTIONS_PREFIX;

    private static final String SEPARATOR = "\u0001";

    private final Map<String, String> values;

    private PlanRecord(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    static PlanRecord of(MigrationPlan plan) {
        return new PlanRecord(plan.effectiveOptions());
    }

    /** The record as state entries. */
    List<String> toEntries() {
        List<String> entries = new ArrayList<>();
        values.forEach((k, v) -> entries.add(k + SEPARATOR + v));
        return entries;
    }

    /** A record from state entries; entries of unknown form are skipped, later duplicates win. */
    static PlanRecord fromEntries(Iterable<String> entries) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String entry : entries) {
            int at = entry.indexOf(SEPARATOR);
            if (at > 0) {
                values.put(entry.substring(0, at), entry.substring(at + SEPARATOR.length()));
            }
        }
        return new PlanRecord(values);
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    /** One option that differs: its key, the savepoint's value and the job file's. */
    record Change(String key, String savepoint, String jobFile) {
        @Override
        public String toString() {
            return key + ": savepoint '" + savepoint + "', job file '" + jobFile + "'";
        }
    }

    /** How {@code current} (the job file) differs from this record (the savepoint's). */
    Differences differencesTo(PlanRecord current) {
        List<Change> refused = new ArrayList<>();
        List<Change> honoured = new ArrayList<>();
        for (Map.Entry<String, String> e : current.values.entrySet()) {
            String key = e.getKey();
            if (!values.containsKey(key)) {
                continue; // an option newer than the savepoint: nothing to compare
            }
            String was = values.get(key);
            if (Objects.equals(was, e.getValue()) || key.startsWith(PARTITION_PREFIX)) {
                continue;
            }
            (FIXED.contains(key) ? refused : honoured).add(new Change(key, was, e.getValue()));
        }
        return new Differences(refused, honoured);
    }

    /** The refused and the honoured changes of a resume. */
    record Differences(List<Change> refused, List<Change> honoured) {}
}
