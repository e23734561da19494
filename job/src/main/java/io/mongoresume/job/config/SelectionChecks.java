package io.mongoresume.job.config;

import java.util.List;

/**
 * The rules of the selection options: the one-database shorthand ({@code source.database} with
 * {@code source.collections} or {@code source.collection-regex}) and the namespace form ({@code
 * source.namespaces}) exclude each other, the shorthand's collection options need their database,
 * and every namespace pattern ({@code source.namespaces}, {@code source.exclude}) parses. Each
 * refusal names the options and what to write instead, before anything connects.
 */
final class SelectionChecks {

    private SelectionChecks() {}

    static void check(MigrationConfig config) {
        boolean namespaces = given(config.get(MigrationOptions.SOURCE_NAMESPACES));
        boolean database = config.sourceDatabase() != null;
        boolean list = config.isSet(MigrationOptions.SOURCE_COLLECTIONS);
        boolean regex = config.isSet(MigrationOptions.SOURCE_COLLECTION_REGEX);
        if (namespaces && (database || list || regex)) {
            String other =
                    database
                            ? MigrationOptions.SOURCE_DATABASE.key()
                            : list
                                    ? MigrationOptions.SOURCE_COLLECTIONS.key()
                                    : MigrationOptions.SOURCE_COLLECTION_REGEX.key();
            throw new InvalidConfigException(
                    "Give either "
                            + MigrationOptions.SOURCE_NAMESPACES.key()
                            + " or "
                            + other
                            + ", not both: "
                            + MigrationOptions.SOURCE_NAMESPACES.key()
                            + " selects across databases by database.collection patterns, "
                            + other
                            + " belongs to the one-database shorthand. Write the collections as"
                            + " namespaces (e.g. 'shop.orders', 'shop.*') and remove "
                            + (database
                                    ? "source.database (with source.collections and"
                                            + " source.collection-regex)"
                                    : other)
                            + ", or drop "
                            + MigrationOptions.SOURCE_NAMESPACES.key()
                            + ".");
        }
        if ((list || regex) && !database) {
            String option =
                    list
                            ? MigrationOptions.SOURCE_COLLECTIONS.key()
                            : MigrationOptions.SOURCE_COLLECTION_REGEX.key();
            throw new InvalidConfigException(
                    "Option '"
                            + option
                            + "' names collections of source.database, which is not set. Set"
                            + " source.database, or select across databases with "
                            + MigrationOptions.SOURCE_NAMESPACES.key()
                            + " (e.g. 'shop.orders', 'shop.*').");
        }
        config.namespacePatterns();
        config.excludePatterns();
    }

    private static boolean given(List<String> values) {
        return values != null && !values.isEmpty();
    }
}
