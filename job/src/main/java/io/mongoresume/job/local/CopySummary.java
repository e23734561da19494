package io.mongoresume.job.local;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.job.plan.MigrationPlan;
import org.bson.Document;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Per-collection document counts of source and target after a run: what a user checks first. */
public final class CopySummary {

    /** One collection's line. */
    public static final class Line {
        public final String collection;
        public final long sourceCount;
        public final long targetCount;

        Line(String collection, long sourceCount, long targetCount) {
            this.collection = collection;
            this.sourceCount = sourceCount;
            this.targetCount = targetCount;
        }

        public boolean matches() {
            return sourceCount == targetCount;
        }
    }

    private final List<Line> lines;

    private CopySummary(List<Line> lines) {
        this.lines = lines;
    }

    /** Counts each source namespace ({@code db.collection}) and its target. */
    public static CopySummary count(MigrationPlan plan, List<String> namespaces) {
        List<Line> lines = new ArrayList<>();
        try (MongoClient source = plan.sourceConnection().createClient();
                MongoClient target = plan.targetConnection().createClient()) {
            for (String ns : namespaces) {
                MongoNamespace mapped = plan.target().target(ns);
                lines.add(
                        new Line(
                                plan.label(ns),
                                source.getDatabase(CollectionSelection.databaseOf(ns))
                                        .getCollection(CollectionSelection.collectionOf(ns))
                                        .countDocuments(new Document()),
                                target.getDatabase(mapped.getDatabaseName())
                                        .getCollection(mapped.getCollectionName())
                                        .countDocuments(new Document())));
            }
        }
        return new CopySummary(lines);
    }

    public List<Line> lines() {
        return lines;
    }

    public boolean allMatch() {
        return lines.stream().allMatch(Line::matches);
    }

    public void print(PrintStream out, Duration elapsed) {
        int width =
                Math.max(10, lines.stream().mapToInt(l -> l.collection.length()).max().orElse(10));
        out.printf("%n%-" + width + "s %12s %12s  %s%n", "collection", "source", "target", "");
        long total = 0;
        for (Line line : lines) {
            total += line.targetCount;
            out.printf(
                    "%-" + width + "s %12d %12d  %s%n",
                    line.collection,
                    line.sourceCount,
                    line.targetCount,
                    line.matches() ? "ok" : "DIFFERENT");
        }
        double seconds = Math.max(0.001, elapsed.toMillis() / 1000.0);
        out.printf(
                "%d documents in the target after %.1f s (%.0f docs/s)%n",
                total, seconds, total / seconds);
    }
}
