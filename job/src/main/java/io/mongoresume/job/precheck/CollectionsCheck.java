package io.mongoresume.job.precheck;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.selection.CollectionSelection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which source collections the migration selects, recorded in the context for every later step. The
 * selection rule is {@link #select} and nowhere else in {@code precheck}.
 */
final class CollectionsCheck implements PrecheckStep {

    private static final String NAME = "collections";

    @Override
    public List<CheckResult> run(PrecheckContext context) {
        PrecheckContext.Deployment source = context.source();
        List<String> existing;
        try {
            existing =
                    SourceCollections.listCollections(
                            source.connection(), source.database(), "source");
        } catch (RuntimeException e) {
            return List.of(CheckResult.fail(NAME, MongoConnectionOptions.mask(e.getMessage())));
        }
        List<String> selected = new ArrayList<>();
        CheckResult result = select(context.plan().selection(), existing, selected);
        context.select(selected);
        return List.of(result);
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
                (existing.contains(c) ? selected : missing).add(c);
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
