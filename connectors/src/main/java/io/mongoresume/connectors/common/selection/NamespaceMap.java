package io.mongoresume.connectors.common.selection;

import org.apache.flink.annotation.Internal;

import com.mongodb.MongoNamespace;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where each source namespace goes at the target: rules {@code source-pattern -> target} tried in
 * order (the first that matches wins), then the fallback: every database into one target database
 * ({@code target.database}), or the same name. A glob rule's target may repeat the source's
 * wildcards with {@code *} (the n-th {@code *} of the target takes what the n-th wildcard of the
 * source matched: {@code shop.* -> shop_v2.*}); a regex rule's target may use its groups ({@code
 * $1}). Rules are checked when parsed; collisions between the namespaces that exist are checked by
 * {@link #checkInjective} before anything is written.
 */
@Internal
public final class NamespaceMap implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The option rules come from, named in error texts. */
    public static final String OPTION = "target.namespace-map";

    private static final String ARROW = "->";
    private static final Pattern GROUP = Pattern.compile("\\$(\\d+)");

    private final List<Rule> rules;
    @Nullable private final String targetDatabase;

    private NamespaceMap(List<Rule> rules, @Nullable String targetDatabase) {
        this.rules = List.copyOf(rules);
        this.targetDatabase = targetDatabase;
    }

    /** Every namespace keeps its name. */
    public static NamespaceMap identity() {
        return new NamespaceMap(List.of(), null);
    }

    /** Every collection into {@code targetDatabase}; null keeps each source database's name. */
    public static NamespaceMap intoDatabase(@Nullable String targetDatabase) {
        return parse(List.of(), targetDatabase);
    }

    /**
     * Parses rules ({@code target.namespace-map}) with the fallback database ({@code
     * target.database}, null to keep each source database's name).
     *
     * @throws IllegalArgumentException naming the option, the rule and what is wrong with it
     */
    public static NamespaceMap parse(List<String> ruleTexts, @Nullable String targetDatabase) {
        if (targetDatabase != null) {
            checkDatabaseName(targetDatabase, "target.database", targetDatabase);
        }
        List<Rule> rules = new ArrayList<>();
        Map<String, String> literalTargets = new HashMap<>();
        for (String text : ruleTexts == null ? List.<String>of() : ruleTexts) {
            Rule rule = Rule.parse(text);
            if (rule.source.isLiteral()) {
                String earlier = literalTargets.putIfAbsent(rule.target, text.trim());
                if (earlier != null) {
                    throw new IllegalArgumentException(
                            "Invalid value for option '"
                                    + OPTION
                                    + "': rules '"
                                    + earlier
                                    + "' and '"
                                    + text.trim()
                                    + "' map two source namespaces to '"
                                    + rule.target
                                    + "'. Each target namespace can receive one source namespace.");
                }
            }
            rules.add(rule);
        }
        return new NamespaceMap(rules, targetDatabase);
    }

    /** Whether every namespace keeps its name. */
    public boolean isIdentity() {
        return rules.isEmpty() && targetDatabase == null;
    }

    /** The target namespace of {@code database.collection}. */
    public MongoNamespace target(String database, String collection) {
        String namespace = database + '.' + collection;
        for (Rule rule : rules) {
            String mapped = rule.apply(namespace);
            if (mapped != null) {
                return rule.namespace(namespace, mapped);
            }
        }
        return new MongoNamespace(targetDatabase != null ? targetDatabase : database, collection);
    }

    /**
     * Where the job keeps its bookkeeping for source database {@code database} at the target: where
     * a collection named {@code collection} of it would go, so a map that moves a whole database
     * moves the bookkeeping with it.
     */
    public String homeDatabase(String database, String collection) {
        return target(database, collection).getDatabaseName();
    }

    /**
     * Checks that no two of {@code sourceNamespaces} ({@code db.collection}) map to one target
     * namespace, and, when the target is the source deployment, that none maps onto a namespace of
     * {@code sourceNamespaces} (its writes would feed its own change streams).
     *
     * @throws IllegalArgumentException naming both namespaces
     */
    public void checkInjective(Collection<String> sourceNamespaces, boolean sameDeployment) {
        Map<String, String> sourceOf = new HashMap<>();
        TreeSet<String> sorted = new TreeSet<>(sourceNamespaces);
        for (String source : sorted) {
            MongoNamespace ns = new MongoNamespace(source);
            String target = target(ns.getDatabaseName(), ns.getCollectionName()).getFullName();
            String other = sourceOf.putIfAbsent(target, source);
            if (other != null) {
                throw new IllegalArgumentException(
                        describe()
                                + " maps both '"
                                + other
                                + "' and '"
                                + source
                                + "' to '"
                                + target
                                + "': their documents would mix in one collection. Map one of them"
                                + " elsewhere, or leave one out of the selection.");
            }
            if (sameDeployment && !target.equals(source) && sorted.contains(target)) {
                throw new IllegalArgumentException(
                        describe()
                                + " maps '"
                                + source
                                + "' onto '"
                                + target
                                + "', which this job also copies from the same deployment: the"
                                + " copy would overwrite a source collection and read its own writes."
                                + " Map it to a namespace that is not selected.");
            }
        }
    }

    private String describe() {
        if (!rules.isEmpty()) {
            return "Option '" + OPTION + "' " + rules;
        }
        return targetDatabase != null
                ? "Option 'target.database' ('" + targetDatabase + "')"
                : "The namespace map";
    }

    private static void checkDatabaseName(String name, String option, String value) {
        try {
            MongoNamespace.checkDatabaseNameValidity(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Invalid value '"
                            + value
                            + "' for option '"
                            + option
                            + "': '"
                            + name
                            + "' is not a valid database name ("
                            + e.getMessage()
                            + ").",
                    e);
        }
    }

    /** For logs: the rules and the fallback. */
    @Override
    public String toString() {
        return rules + (targetDatabase != null ? " else *.* -> " + targetDatabase + ".*" : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamespaceMap that
                && rules.equals(that.rules)
                && Objects.equals(targetDatabase, that.targetDatabase);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rules, targetDatabase);
    }

    /** One {@code source -> target} rule. */
    private record Rule(NamespacePattern source, String target) implements Serializable {

        static Rule parse(String text) {
            String value = text == null ? "" : text.trim();
            int arrow = value.indexOf(ARROW);
            if (arrow < 0 || value.indexOf(ARROW, arrow + ARROW.length()) >= 0) {
                throw new IllegalArgumentException(
                        "Invalid value '"
                                + value
                                + "' for option '"
                                + OPTION
                                + "': a rule is 'source-pattern -> target', e.g. 'shop.* ->"
                                + " shop_v2.*' or 'crm.orders -> sales.orders'.");
            }
            NamespacePattern source =
                    NamespacePattern.parse(value.substring(0, arrow).trim(), OPTION);
            String target = value.substring(arrow + ARROW.length()).trim();
            int dot = target.indexOf('.');
            if (dot <= 0 || dot == target.length() - 1) {
                throw invalidTarget(value, "the target is database.collection");
            }
            int references = references(source, target);
            if (references > source.captureCount()) {
                throw invalidTarget(
                        value,
                        "the target uses "
                                + references
                                + " wildcard(s) or group(s) but the source pattern has "
                                + source.captureCount());
            }
            if (!source.isRegex() && references < source.captureCount()) {
                throw invalidTarget(
                        value,
                        "the target must repeat each of the source's "
                                + source.captureCount()
                                + " wildcard(s) with *, else two namespaces could land in one"
                                + " collection (use a regex between slashes to drop a part on"
                                + " purpose)");
            }
            if (target.indexOf('?') >= 0 || (source.isRegex() && target.indexOf('*') >= 0)) {
                throw invalidTarget(
                        value,
                        source.isRegex()
                                ? "a regex rule's target refers to groups as $1, $2"
                                : "a target may repeat the source's wildcards with *, not ?");
            }
            String database = target.substring(0, dot);
            if (references(source, database) == 0) {
                checkDatabaseName(database, OPTION, value);
            }
            return new Rule(source, target);
        }

        /** How many captures the target refers to: its {@code *}s, or its highest {@code $n}. */
        private static int references(NamespacePattern source, String target) {
            if (!source.isRegex()) {
                return (int) target.chars().filter(c -> c == '*').count();
            }
            int highest = 0;
            Matcher matcher = GROUP.matcher(target);
            while (matcher.find()) {
                highest = Math.max(highest, Integer.parseInt(matcher.group(1)));
            }
            return highest;
        }

        private static IllegalArgumentException invalidTarget(String value, String why) {
            return new IllegalArgumentException(
                    "Invalid value '" + value + "' for option '" + OPTION + "': " + why + ".");
        }

        /** The target of {@code namespace}, or null when the source pattern does not match it. */
        @Nullable
        String apply(String namespace) {
            List<String> captures = source.captures(namespace);
            if (captures == null) {
                return null;
            }
            StringBuilder out = new StringBuilder();
            if (source.isRegex()) {
                Matcher matcher = GROUP.matcher(target);
                while (matcher.find()) {
                    int group = Integer.parseInt(matcher.group(1));
                    matcher.appendReplacement(
                            out,
                            Matcher.quoteReplacement(
                                    group == 0 ? namespace : captures.get(group - 1)));
                }
                matcher.appendTail(out);
                return out.toString();
            }
            int next = 0;
            for (char c : target.toCharArray()) {
                if (c == '*') {
                    out.append(captures.get(next++));
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }

        /** {@code mapped} as a namespace, or why the rule cannot map {@code namespace}. */
        MongoNamespace namespace(String namespace, String mapped) {
            try {
                return new MongoNamespace(mapped);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "Option '"
                                + OPTION
                                + "' rule '"
                                + this
                                + "' maps '"
                                + namespace
                                + "' to '"
                                + mapped
                                + "', which is not a valid namespace ("
                                + e.getMessage()
                                + ").",
                        e);
            }
        }

        @Override
        public String toString() {
            return source + " -> " + target;
        }
    }
}
