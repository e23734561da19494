package io.mongoresume.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Per-run values of every figure, and the table of medians with min–max. */
final class Results {

    /** One row of the table. */
    static final class Row {
        final String key;
        final String label;
        final String unit;

        Row(String key, String label, String unit) {
            this.key = key;
            this.label = label;
            this.unit = unit;
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private final Map<String, List<Double>> values = new LinkedHashMap<>();
    private final List<String> targets = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void define(String key, String label, String unit) {
        for (Row row : rows) {
            if (row.key.equals(key)) {
                return;
            }
        }
        rows.add(new Row(key, label, unit));
    }

    void add(String key, double value) {
        values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    boolean has(String key) {
        return values.containsKey(key) && !values.get(key).isEmpty();
    }

    double median(String key) {
        List<Double> sorted = new ArrayList<>(values.get(key));
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    double last(String key) {
        List<Double> v = values.get(key);
        return v.get(v.size() - 1);
    }

    double max(String key) {
        return Collections.max(values.get(key));
    }

    double min(String key) {
        return Collections.min(values.get(key));
    }

    void target(String description, String measured, boolean pass) {
        targets.add(
                "| "
                        + description
                        + " | "
                        + measured
                        + " | "
                        + (pass ? "PASS" : "**FAIL**")
                        + " |");
    }

    void targetPending(String description, String why) {
        targets.add("| " + description + " | " + why + " | not measured |");
    }

    void note(String note) {
        notes.add(note);
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| measurement | median | min – max | runs |\n|---|---:|---:|---:|\n");
        for (Row row : rows) {
            if (!has(row.key)) {
                out.append("| ").append(row.label).append(" | – | – | 0 |\n");
                continue;
            }
            List<Double> v = values.get(row.key);
            out.append("| ")
                    .append(row.label)
                    .append(" | ")
                    .append(format(median(row.key), row.unit))
                    .append(" | ")
                    .append(format(min(row.key), row.unit))
                    .append(" – ")
                    .append(format(max(row.key), row.unit))
                    .append(" | ")
                    .append(v.size())
                    .append(" |\n");
        }
        if (!targets.isEmpty()) {
            out.append("\n| target | measured (median unless stated) | result |\n|---|---|---|\n");
            targets.forEach(t -> out.append(t).append('\n'));
        }
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(n -> out.append("- ").append(n).append('\n'));
        }
        return out.toString();
    }

    static String format(double value, String unit) {
        switch (unit) {
            case "docs/s":
                return String.format(Locale.ROOT, "%,.0f docs/s", value);
            case "x":
                return String.format(Locale.ROOT, "%.2f×", value);
            case "s":
                return String.format(Locale.ROOT, "%.2f s", value);
            case "ms":
                return String.format(Locale.ROOT, "%.0f ms", value);
            case "MB":
                return String.format(Locale.ROOT, "%.2f MB", value);
            default:
                return String.format(
                        Locale.ROOT, "%,.0f%s", value, unit.isEmpty() ? "" : " " + unit);
        }
    }
}
