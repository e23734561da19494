package io.mongoresume.connectors.common.selection;

import org.apache.flink.annotation.Internal;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import io.mongoresume.connectors.destination.TargetMetadata;
import org.bson.Document;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Which source namespaces a job copies: the one place that knows the rules and the error texts that
 * list what exists. The client's checks, both enumerators, precheck, verify and status ask it, so
 * they cannot disagree.
 *
 * <p>Two forms. The <em>shorthand</em> is one database with an explicit collection list or a regex
 * on collection names ({@code source.database} + {@code source.collections} / {@code
 * source.collection-regex}). The <em>namespace form</em> is a list of {@link NamespacePattern}s on
 * {@code database.collection} across databases ({@code source.namespaces}); an empty list means
 * every user database. Both may carry exclusions ({@code source.exclude}). Never selected in
 * either: the databases {@code admin}, {@code local}, {@code config}, {@code system.*} collections,
 * views and the job's own metadata.
 *
 * <p>Namespaces are written {@code database.collection}; a database name cannot contain a dot, so
 * {@link #databaseOf} and {@link #collectionOf} split at the first one.
 */
@Internal
public final class CollectionSelection implements Serializable {

    private static final long serialVersionUID = 2L;

    /** The options a selection comes from, named in its error texts. */
    public static final String LIST_OPTION = "source.collections";

    public static final String REGEX_OPTION = "source.collection-regex";

    public static final String NAMESPACES_OPTION = "source.namespaces";

    public static final String EXCLUDE_OPTION = "source.exclude";

    private static final String SYSTEM_PREFIX = "system.";

    /** Databases of the server itself, never copied. */
    private static final Set<String> SYSTEM_DATABASES = Set.of("admin", "local", "config");

    /** The shorthand's database; null in the namespace form. */
    @Nullable private final String database;

    @Nullable private final List<String> collections;
    @Nullable private final String regex;

    /** The namespace form's patterns (empty: every user database); null for the shorthand. */
    @Nullable private final List<NamespacePattern> includes;

    private final List<NamespacePattern> excludes;
    @Nullable private transient Pattern pattern;

    private CollectionSelection(
            @Nullable String database,
            @Nullable List<String> collections,
            @Nullable String regex,
            @Nullable List<NamespacePattern> includes,
            List<NamespacePattern> excludes) {
        checkArgument(
                includes != null || (database != null && !database.isEmpty()),
                "database is required");
        this.database = database;
        this.collections = collections == null ? null : List.copyOf(new TreeSet<>(collections));
        this.regex = regex;
        this.includes = includes == null ? null : List.copyOf(includes);
        this.excludes = List.copyOf(excludes);
    }

    private CollectionSelection(
            String database, @Nullable List<String> collections, @Nullable String regex) {
        this(database, collections, regex, null, List.of());
    }

    /** The collections named (they need not exist yet). */
    public static CollectionSelection of(String database, List<String> collections) {
        checkNotNull(collections, "collections");
        checkArgument(!collections.isEmpty(), "collections must not be empty");
        for (String name : collections) {
            checkArgument(name != null && !name.isEmpty(), "collection names must not be empty");
        }
        return new CollectionSelection(database, collections, null);
    }

    /** Every collection whose whole name matches {@code regex}, also those that appear later. */
    public static CollectionSelection matching(String database, String regex) {
        checkNotNull(regex, "regex");
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "Invalid value '"
                            + regex
                            + "' for option '"
                            + REGEX_OPTION
                            + "': not a regular expression ("
                            + e.getDescription()
                            + ").",
                    e);
        }
        return new CollectionSelection(database, null, regex);
    }

    /** Every collection of the database. */
    public static CollectionSelection everything(String database) {
        return new CollectionSelection(database, null, ".*");
    }

    /**
     * The namespace form: every namespace some pattern of {@code includes} matches (every user
     * database when it is empty) and none of {@code excludes} does.
     */
    public static CollectionSelection namespaces(
            List<NamespacePattern> includes, List<NamespacePattern> excludes) {
        checkNotNull(includes, "includes");
        checkNotNull(excludes, "excludes");
        return new CollectionSelection(null, null, null, includes, excludes);
    }

    /** This selection less the namespaces {@code excludes} match. */
    public CollectionSelection excluding(List<NamespacePattern> excludes) {
        List<NamespacePattern> all = new ArrayList<>(this.excludes);
        all.addAll(excludes);
        return new CollectionSelection(database, collections, regex, includes, all);
    }

    /** {@code database.collection}. */
    public static String namespace(String database, String collection) {
        return database + '.' + collection;
    }

    /** The database of a {@link #namespace}: what stands before the first dot. */
    public static String databaseOf(String namespace) {
        int dot = namespace.indexOf('.');
        checkArgument(dot > 0, "not a namespace: %s", namespace);
        return namespace.substring(0, dot);
    }

    /** The collection of a {@link #namespace}: what follows the first dot. */
    public static String collectionOf(String namespace) {
        int dot = namespace.indexOf('.');
        checkArgument(dot > 0, "not a namespace: %s", namespace);
        return namespace.substring(dot + 1);
    }

    /** Whether this is the one-database shorthand. */
    public boolean isShorthand() {
        return includes == null;
    }

    /**
     * The shorthand's database, which states written before selections spanned databases name their
     * collections relative to; null in the namespace form.
     */
    @Nullable
    public String homeDatabase() {
        return database;
    }

    /**
     * The databases named by the selection when it can name no other (the shorthand's, or the
     * namespace form's when every pattern is a glob with a literal database part); null when
     * databases must be listed to know.
     */
    @Nullable
    public Set<String> knownDatabases() {
        if (includes == null) {
            return Set.of(database);
        }
        if (includes.isEmpty()) {
            return null;
        }
        Set<String> names = new TreeSet<>();
        for (NamespacePattern include : includes) {
            String db = include.literalDatabase();
            if (db == null) {
                return null;
            }
            names.add(db);
        }
        return names;
    }

    /** The databases whose collections the selection may name: {@link #knownDatabases}, or null. */
    @Nullable
    public Set<String> databases() {
        return knownDatabases();
    }

    /** The one database of a shorthand selection. */
    public String database() {
        if (database == null) {
            throw new IllegalStateException(
                    "A selection across databases (" + this + ") has no single database");
        }
        return database;
    }

    /** False only when no collection of {@code database} can be selected. */
    public boolean mayMatchDatabase(String database) {
        if (SYSTEM_DATABASES.contains(database)) {
            return false;
        }
        if (includes == null) {
            return this.database.equals(database);
        }
        if (includes.isEmpty()) {
            return true;
        }
        for (NamespacePattern include : includes) {
            if (include.mayMatchDatabase(database)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the selection is an explicit list: it never grows while the job runs. */
    public boolean isList() {
        if (includes == null) {
            return collections != null;
        }
        if (includes.isEmpty()) {
            return false;
        }
        for (NamespacePattern include : includes) {
            if (!include.isLiteral()) {
                return false;
            }
        }
        return true;
    }

    /** Whether collections that appear while the job runs may belong to the selection. */
    public boolean followsNewCollections() {
        return !isList();
    }

    /**
     * The namespaces an explicit list names ({@code database.collection}, sorted, minus
     * exclusions); empty when the selection is not a list.
     */
    public List<String> listedNamespaces() {
        TreeSet<String> names = new TreeSet<>();
        if (isList()) {
            if (includes == null) {
                for (String collection : collections) {
                    names.add(namespace(database, collection));
                }
            } else {
                for (NamespacePattern include : includes) {
                    names.add(include.toString());
                }
            }
        }
        names.removeIf(ns -> !matches(databaseOf(ns), collectionOf(ns)));
        return new ArrayList<>(names);
    }

    /** The explicit list, sorted; empty for a regex. */
    public List<String> collections() {
        return collections == null ? List.of() : collections;
    }

    /** The regex, or null for a list. */
    @Nullable
    public String regex() {
        return regex;
    }

    /** Whether {@code database.collection} is selected (existing or not). */
    public boolean matches(String database, String collection) {
        if (!mayMatchDatabase(database) || !isCopyable(collection)) {
            return false;
        }
        for (NamespacePattern exclude : excludes) {
            if (exclude.matches(database, collection)) {
                return false;
            }
        }
        if (includes == null) {
            return collections != null
                    ? collections.contains(collection)
                    : pattern().matcher(collection).matches();
        }
        if (includes.isEmpty()) {
            return true;
        }
        for (NamespacePattern include : includes) {
            if (include.matches(database, collection)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a namespace ({@code database.collection}) is selected. */
    public boolean matchesNamespace(String namespace) {
        return matches(databaseOf(namespace), collectionOf(namespace));
    }

    /** Whether a collection of the database is selected. */
    public boolean matches(String collection) {
        return matches(database(), collection);
    }

    /**
     * The items (splits, say) of selected namespaces, in order; {@code dropped} hears of each other
     * one.
     */
    public <T> List<T> selected(
            List<T> items,
            Function<T, String> databaseOf,
            Function<T, String> collectionOf,
            Consumer<T> dropped) {
        List<T> selected = new ArrayList<>();
        for (T item : items) {
            if (matches(databaseOf.apply(item), collectionOf.apply(item))) {
                selected.add(item);
            } else {
                dropped.accept(item);
            }
        }
        return selected;
    }

    /** The selected ones among {@code existing} (names of {@link #eligible}), sorted. */
    public List<String> filter(Collection<String> existing) {
        List<String> selected = new ArrayList<>();
        for (String name : new TreeSet<>(existing)) {
            if (matches(name)) {
                selected.add(name);
            }
        }
        return selected;
    }

    /**
     * The selected collections at a start: the explicit list (each must exist) or what the regex
     * matches (at least one), sorted.
     *
     * @param existing the database's {@link #eligible} collection names
     * @throws IllegalArgumentException naming what is missing and what exists
     */
    public List<String> resolve(Collection<String> existing) {
        List<String> available = filterCopyable(existing);
        if (collections != null) {
            List<String> missing = new ArrayList<>();
            for (String name : collections) {
                if (!available.contains(name)) {
                    missing.add(name);
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(missingText(missing, available));
            }
            return filter(collections);
        }
        List<String> selected = filter(available);
        if (selected.isEmpty()) {
            throw new IllegalArgumentException(noMatchText(available));
        }
        return selected;
    }

    /** Why {@code missing} (named by the list) cannot be copied, with what the database has. */
    public String missingText(List<String> missing, Collection<String> available) {
        return LIST_OPTION
                + " names "
                + (missing.size() == 1 ? "a collection" : "collections")
                + " that database '"
                + database
                + "' does not have: "
                + missing
                + ". It has: "
                + describe(available);
    }

    /** Why the regex selects nothing, with what the database has. */
    public String noMatchText(Collection<String> available) {
        return REGEX_OPTION
                + " '"
                + regex
                + "' matches no collection of database '"
                + database
                + "'. It has: "
                + describe(available);
    }

    /**
     * The selected ones among {@code existing} namespaces ({@code database.collection}), sorted.
     */
    public List<String> filterNamespaces(Collection<String> existing) {
        List<String> selected = new ArrayList<>();
        for (String ns : new TreeSet<>(existing)) {
            if (matchesNamespace(ns)) {
                selected.add(ns);
            }
        }
        return selected;
    }

    /**
     * The selected namespaces at a start, sorted: those an explicit list names (each must exist),
     * or what the patterns match (each include pattern at least one namespace; with no pattern, at
     * least one namespace in all).
     *
     * @param existing every {@link #eligible} namespace of the databases the selection may match
     * @throws IllegalArgumentException naming the option, what is missing and what exists
     */
    public List<String> resolveNamespaces(Collection<String> existing) {
        if (includes == null) {
            List<String> inDatabase = new ArrayList<>();
            for (String ns : new TreeSet<>(existing)) {
                if (databaseOf(ns).equals(database)) {
                    inDatabase.add(collectionOf(ns));
                }
            }
            List<String> names = new ArrayList<>();
            for (String collection : resolve(inDatabase)) {
                names.add(namespace(database, collection));
            }
            return names;
        }
        List<String> selected = filterNamespaces(existing);
        if (isList()) {
            List<String> missing = new ArrayList<>();
            for (NamespacePattern include : includes) {
                if (!selected.contains(include.toString())) {
                    missing.add(include.toString());
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(
                        NAMESPACES_OPTION
                                + " names "
                                + (missing.size() == 1 ? "a namespace" : "namespaces")
                                + " the source does not have: "
                                + missing
                                + ". It has: "
                                + describe(existing));
            }
            return selected;
        }
        for (NamespacePattern include : includes) {
            boolean any = false;
            for (String ns : selected) {
                any |= include.matches(databaseOf(ns), collectionOf(ns));
            }
            if (!any) {
                throw new IllegalArgumentException(
                        "Invalid value '"
                                + include
                                + "' for option '"
                                + NAMESPACES_OPTION
                                + "': it matches no collection"
                                + (excludes.isEmpty() ? "" : " that " + EXCLUDE_OPTION + " leaves")
                                + ". The source has: "
                                + describe(existing));
            }
        }
        if (selected.isEmpty()) {
            throw new IllegalArgumentException(
                    "No user database of the source has a collection to copy"
                            + (excludes.isEmpty() ? "" : " that " + EXCLUDE_OPTION + " leaves")
                            + ". It has: "
                            + describe(existing)
                            + ". Set "
                            + NAMESPACES_OPTION
                            + " or source.database.");
        }
        return selected;
    }

    /**
     * The databases to list for this selection: {@link #knownDatabases}, or the source's databases
     * the selection may match, sorted.
     */
    public List<String> databasesToList(MongoClient client) {
        Set<String> known = knownDatabases();
        if (known != null) {
            return new ArrayList<>(known);
        }
        TreeSet<String> names = new TreeSet<>();
        for (String name : client.listDatabaseNames()) {
            if (mayMatchDatabase(name)) {
                names.add(name);
            }
        }
        return new ArrayList<>(names);
    }

    /**
     * Every {@link #eligible} namespace ({@code database.collection}) of the databases the
     * selection may match, selected or not, sorted; what error texts list.
     */
    public List<String> eligibleNamespaces(MongoClient client) {
        List<String> names = new ArrayList<>();
        for (String db : databasesToList(client)) {
            for (String collection : eligible(client.getDatabase(db))) {
                names.add(namespace(db, collection));
            }
        }
        return names;
    }

    /**
     * The database's collections a migration can copy, sorted: {@code listCollections} without
     * views (a view has no documents of its own and no change stream), {@code system.*} and the
     * job's metadata.
     */
    public static List<String> eligible(MongoDatabase database) {
        TreeSet<String> names = new TreeSet<>();
        for (Document info : database.listCollections()) {
            String name = info.getString("name");
            String type = info.getString("type");
            if (name != null && (type == null || "collection".equals(type)) && isCopyable(name)) {
                names.add(name);
            }
        }
        return new ArrayList<>(names);
    }

    /** Neither a system collection nor the job's own metadata. */
    public static boolean isCopyable(String collection) {
        return !collection.startsWith(SYSTEM_PREFIX) && !TargetMetadata.isOwnCollection(collection);
    }

    private static List<String> filterCopyable(Collection<String> names) {
        List<String> copyable = new ArrayList<>();
        for (String name : new TreeSet<>(names)) {
            if (isCopyable(name)) {
                copyable.add(name);
            }
        }
        return copyable;
    }

    private static String describe(Collection<String> available) {
        return available.isEmpty() ? "no collections" : String.join(", ", available);
    }

    private Pattern pattern() {
        if (pattern == null) {
            pattern = Pattern.compile(checkNotNull(regex));
        }
        return pattern;
    }

    /**
     * For logs: {@code shop.[customers, orders]}, the database and the regex between slashes, or
     * the namespace patterns; exclusions after {@code except}.
     */
    @Override
    public String toString() {
        String base;
        if (includes == null) {
            base =
                    database
                            + "."
                            + (collections != null ? collections.toString() : "/" + regex + "/");
        } else {
            base = includes.isEmpty() ? "every user database" : includes.toString();
        }
        return excludes.isEmpty() ? base : base + " except " + excludes;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CollectionSelection)) {
            return false;
        }
        CollectionSelection that = (CollectionSelection) o;
        return Objects.equals(database, that.database)
                && Objects.equals(collections, that.collections)
                && Objects.equals(regex, that.regex)
                && Objects.equals(includes, that.includes)
                && excludes.equals(that.excludes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(database, collections, regex, includes, excludes);
    }
}
