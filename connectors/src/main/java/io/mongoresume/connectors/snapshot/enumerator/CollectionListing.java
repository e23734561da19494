package io.mongoresume.connectors.snapshot.enumerator;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.mongoresume.connectors.snapshot.SnapshotSourceOptions;
import io.mongoresume.connectors.target.TargetMetadata;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Which of the source database's collections the snapshot copies: never {@code system.*} nor the job's own
 * metadata collections.
 */
final class CollectionListing {

    private CollectionListing() {}

    /**
     * The collections to copy, sorted by name: the explicit list (each must exist), or those fully
     * matching the regex ({@code system.*} excluded; at least one must match).
     */
    static List<String> resolveCollections(SnapshotSourceOptions options, List<String> existing) {
        TreeSet<String> available = new TreeSet<>();
        for (String name : existing) {
            if (!name.startsWith("system.") && !TargetMetadata.isOwnCollection(name)) {
                available.add(name);
            }
        }
        if (options.collections() != null) {
            TreeSet<String> wanted = new TreeSet<>(options.collections());
            List<String> missing = new ArrayList<>();
            for (String name : wanted) {
                if (!available.contains(name)) {
                    missing.add(name);
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(
                        "Collections "
                                + missing
                                + " do not exist in source database '"
                                + options.database()
                                + "'. Existing collections: "
                                + available);
            }
            return new ArrayList<>(wanted);
        }
        Pattern pattern = Pattern.compile(checkNotNull(options.collectionRegex()));
        List<String> matched = new ArrayList<>();
        for (String name : available) {
            if (pattern.matcher(name).matches()) {
                matched.add(name);
            }
        }
        if (matched.isEmpty()) {
            throw new IllegalArgumentException(
                    "No collection of source database '"
                            + options.database()
                            + "' matches the regex '"
                            + options.collectionRegex()
                            + "' (full match, system.* excluded). Existing collections: "
                            + available);
        }
        return matched;
    }

    /** The names, sorted, that match the regex selection and are none of the {@code known} collections. */
    static List<String> newlyMatching(SnapshotSourceOptions options, List<String> names, Set<String> known) {
        Pattern pattern = Pattern.compile(checkNotNull(options.collectionRegex()));
        List<String> found = new ArrayList<>();
        for (String name : new TreeSet<>(names)) {
            if (!known.contains(name)
                    && !name.startsWith("system.")
                    && !TargetMetadata.isOwnCollection(name)
                    && pattern.matcher(name).matches()) {
                found.add(name);
            }
        }
        return found;
    }
}
