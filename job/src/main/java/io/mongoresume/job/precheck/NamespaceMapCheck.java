package io.mongoresume.job.precheck;

import io.mongoresume.connectors.common.selection.NamespaceMap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reports where the namespace map sends each selected collection and fails when two of them would
 * land in one target collection.
 */
final class NamespaceMapCheck implements PrecheckStep {

    private static final String NAME = "namespace map";

    @Override
    public List<CheckResult> run(PrecheckContext context) {
        NamespaceMap map = context.plan().target().namespaceMap();
        String database = context.source().database();
        List<String> sources = new ArrayList<>();
        Map<String, Object> targets = new LinkedHashMap<>();
        for (String collection : context.selected()) {
            String source = database + '.' + collection;
            sources.add(source);
            targets.put(source, map.target(database, collection).getFullName());
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
        return List.of(CheckResult.pass(NAME, detail, Map.of("targets", targets)));
    }
}
