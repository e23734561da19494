package io.mongoresume.connectors.common.selection;

import org.apache.flink.annotation.Internal;

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
 * Which source namespaces a job copies: the one place that knows the rules (an explicit list, or
 * every collection whose whole name matches a regex; never {@code system.*}, views or the job's own
 * metadata) and the error texts that list what exists. The client's checks, both enumerators,
 * precheck, verify and status ask it, so they cannot disagree.
 *
 * <p>A selection is of one database today; callers ask {@link #databases()} and {@link
 * #matches(String, String)}, so a selection across databases needs no change of theirs.
 */
@Internal
public final class CollectionSelection implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The options a selection comes from, named in its error texts. */
    public static final String LIST_OPTION = "source.collections";

    public static final String REGEX_OPTION = "source.collection-regex";

    private static final String SYSTEM_PREFIX = "system.";

    private final String database;
    @Nullable private final List<String> collections;
    @Nullable private final String regex;
    @Nullable private transient Pattern pattern;

    private CollectionSelection(
            String database, @Nullable List<String> collections, @Nullable String regex) {
        checkArgument(database != null && !database.isEmpty(), "database is required");
        this.database = database;
        this.collections = collections == null ? null : List.copyOf(new TreeSet<>(collections));
        this.regex = regex;
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

    /** The databases whose collections the selection may name. */
    public Set<String> databases() {
        return Set.of(database);
    }

    /** The one database of today's selections. */
    public String database() {
        return database;
    }

    /** Whether the selection is an explicit list: it never grows while the job runs. */
    public boolean isList() {
        return collections != null;
    }

    /** Whether collections that appear while the job runs may belong to the selection. */
    public boolean followsNewCollections() {
        return collections == null;
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
        if (!this.database.equals(database) || !isCopyable(collection)) {
            return false;
        }
        return collections != null
                ? collections.contains(collection)
                : pattern().matcher(collection).matches();
    }

    /** Whether a collection of the database is selected. */
    public boolean matches(String collection) {
        return matches(database, collection);
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
            return collections;
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
     * For logs: {@code shop.[customers, orders]}, or the database and the regex between slashes.
     */
    @Override
    public String toString() {
        return database + "." + (collections != null ? collections.toString() : "/" + regex + "/");
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CollectionSelection)) {
            return false;
        }
        CollectionSelection that = (CollectionSelection) o;
        return database.equals(that.database)
                && Objects.equals(collections, that.collections)
                && Objects.equals(regex, that.regex);
    }

    @Override
    public int hashCode() {
        return Objects.hash(database, collections, regex);
    }
}
