package io.mongoresume.job.precheck;

import com.mongodb.MongoNamespace;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.common.selection.NamespaceMap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reports where the namespace map sends each selected collection and fails when two of them would
 * land in one target collection.
 */
final class NamespaceMapCheck implements PrecheckStep {

    private static final String NAME = "namespace map";

    @Override
    public List<CheckResult> run(PrecheckContext context) {
        NamespaceMap map = context.plan().target().namespaceMap();
        List<String> sources = new ArrayList<>(context.selected());
        Map<String, Object> targets = new LinkedHashMap<>();
        // Per source database: the target databases its collections go to.
        Map<String, Set<String>> perDatabase = new TreeMap<>();
        for (String source : sources) {
            MongoNamespace target = context.plan().target().target(source);
            targets.put(source, target.getFullName());
            perDatabase
                    .computeIfAbsent(CollectionSelection.databaseOf(source), d -> new TreeSet<>())
                    .add(target.getDatabaseName());
        }
        try {
            map.checkInjective(sources, false);
        } catch (IllegalArgumentException e) {
            return List.of(CheckResult.fail(NAME, e.getMessage()));
        }
        long renamed =
                targets.entrySet().stream().filter(e -> !e.getKey().equals(e.getValue())).count();
        String detail =
                map.isIdentity()
                        ? "every namespace keeps its name"
                        : renamed + " of " + targets.size() + " namespace(s) renamed: " + targets;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("targets", targets);
        data.put("perDatabase", perDatabase);
        if (perDatabase.size() > 1) {
            List<String> parts = new ArrayList<>();
            perDatabase.forEach((from, to) -> parts.add(from + " -> " + String.join(", ", to)));
            detail += " (by database: " + String.join("; ", parts) + ")";
        }
        return List.of(CheckResult.pass(NAME, detail, data));
    }
}
