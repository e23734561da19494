package io.mongoresume.job.precheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.job.config.MigrationConfig;
import io.mongoresume.job.preflight.SourceCollections;

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
            existing = SourceCollections.listCollections(source.connection(), source.database(), "source");
        } catch (RuntimeException e) {
            return List.of(CheckResult.fail(NAME, MongoConnectionOptions.mask(e.getMessage())));
        }
        List<String> selected = new ArrayList<>();
        CheckResult result = select(context.config(), existing, selected);
        context.select(selected);
        return List.of(result);
    }

    /**
     * Adds the selected ones of the {@code existing} collections to {@code selected} and reports the
     * selection: source.collections by name (the named ones that exist are selected even when others are
     * missing), otherwise source.collection-regex.
     */
    static CheckResult select(MigrationConfig config, List<String> existing, List<String> selected) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("existing", existing);
        if (config.selectsByList()) {
            List<String> missing = new ArrayList<>();
            for (String c : new TreeSet<>(config.collections())) {
                if (existing.contains(c)) {
                    selected.add(c);
                } else {
                    missing.add(c);
                }
            }
            data.put("selected", selected);
            data.put("missing", missing);
            if (!missing.isEmpty()) {
                return new CheckResult(
                        CheckStatus.FAIL,
                        NAME,
                        "source.collections names "
                                + (missing.size() == 1 ? "a collection" : "collections")
                                + " that database '"
                                + config.sourceDatabase()
                                + "' does not have: "
                                + missing
                                + ". It has: "
                                + (existing.isEmpty() ? "no collections" : String.join(", ", existing)),
                        data);
            }
        } else {
            Pattern pattern = Pattern.compile(config.collectionRegex());
            for (String c : existing) {
                if (pattern.matcher(c).matches()) {
                    selected.add(c);
                }
            }
            data.put("selected", selected);
            if (selected.isEmpty()) {
                return new CheckResult(
                        CheckStatus.FAIL,
                        NAME,
                        "source.collection-regex '"
                                + config.collectionRegex()
                                + "' matches no collection of database '"
                                + config.sourceDatabase()
                                + "'",
                        data);
            }
        }
        return CheckResult.pass(
                NAME,
                selected.size()
                        + " selected in "
                        + config.sourceDatabase()
                        + ": "
                        + String.join(", ", selected),
                data);
    }
}
