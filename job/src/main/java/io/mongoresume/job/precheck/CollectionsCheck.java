package io.mongoresume.job.precheck;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which source collections the migration selects, recorded in the context for every later step. The
 * selection rule is {@link #select} and nowhere else in {@code precheck}.
 */
final class CollectionsCheck implements PrecheckStep {

    private static final String NAME = "collections";

    @Override
    public List<CheckResult> run(PrecheckContext context) {
        PrecheckContext.Deployment source = context.source();
        CollectionSelection selection = context.plan().selection();
        if (!selection.isShorthand()) {
            List<String> existing;
            try {
                existing = SourceCollections.listNamespaces(source.connection(), selection);
            } catch (RuntimeException e) {
                return List.of(CheckResult.fail(NAME, MongoConnectionOptions.mask(e.getMessage())));
            }
            List<String> selected = new ArrayList<>();
            CheckResult result = selectNamespaces(selection, existing, selected);
            context.select(selected);
            return List.of(result);
        }
        List<String> existing;
        try {
            existing =
                    SourceCollections.listCollections(
                            source.connection(), source.database(), "source");
        } catch (RuntimeException e) {
            return List.of(CheckResult.fail(NAME, MongoConnectionOptions.mask(e.getMessage())));
        }
        List<String> selected = new ArrayList<>();
        CheckResult result = select(selection, existing, selected);
        List<String> namespaces = new ArrayList<>();
        selected.forEach(c -> namespaces.add(CollectionSelection.namespace(source.database(), c)));
        context.select(namespaces);
        return List.of(result);
    }

    /**
     * The namespace form: adds the selected ones of the {@code existing} namespaces to {@code
     * selected} and reports them per database; fails as a start would (a pattern that matches
     * nothing, a listed namespace that is missing), naming the option and the pattern.
     */
    static CheckResult selectNamespaces(
            CollectionSelection selection, List<String> existing, List<String> selected) {
        selected.addAll(selection.filterNamespaces(existing));
        Map<String, List<String>> perDatabase = new TreeMap<>();
        for (String ns : selected) {
            perDatabase
                    .computeIfAbsent(CollectionSelection.databaseOf(ns), d -> new ArrayList<>())
                    .add(CollectionSelection.collectionOf(ns));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("existing", existing);
        data.put("selected", selected);
        data.put("perDatabase", perDatabase);
        try {
            selection.resolveNamespaces(existing);
        } catch (IllegalArgumentException e) {
            return new CheckResult(CheckStatus.FAIL, NAME, e.getMessage(), data);
        }
        List<String> parts = new ArrayList<>();
        perDatabase.forEach((db, names) -> parts.add(db + ": " + String.join(", ", names)));
        return CheckResult.pass(
                NAME,
                selected.size()
                        + " selected in "
                        + perDatabase.size()
                        + " database(s) ("
                        + selection
                        + "): "
                        + String.join("; ", parts),
                data);
    }

    /**
     * Adds the selected ones of the {@code existing} collections to {@code selected} and reports
     * the selection: source.collections by name (the named ones that exist are selected even when
     * others are missing), otherwise source.collection-regex.
     */
    static CheckResult select(
            CollectionSelection selection, List<String> existing, List<String> selected) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("existing", existing);
        String failure = null;
        if (selection.isList()) {
            List<String> missing = new ArrayList<>();
            for (String c : selection.collections()) {
                if (!existing.contains(c)) {
                    missing.add(c);
                } else if (selection.matches(c)) { // not excluded
                    selected.add(c);
                }
            }
            data.put("selected", selected);
            data.put("missing", missing);
            failure = missing.isEmpty() ? null : selection.missingText(missing, existing);
        } else {
            selected.addAll(selection.filter(existing));
            data.put("selected", selected);
            failure = selected.isEmpty() ? selection.noMatchText(existing) : null;
        }
        if (failure != null) {
            return new CheckResult(CheckStatus.FAIL, NAME, failure, data);
        }
        return CheckResult.pass(
                NAME,
                selected.size()
                        + " selected in "
                        + selection.database()
                        + ": "
                        + String.join(", ", selected),
                data);
    }
}
