package io.mongoresume.job.verify;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import io.mongoresume.connectors.common.config.MongoConnectionOptions;
import io.mongoresume.connectors.common.read.DocumentSize;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.snapshot.query.TypeAliasSupport;
import io.mongoresume.job.cli.JobFileOptions;
import io.mongoresume.job.cli.ReportCommand;
import io.mongoresume.job.config.InvalidConfigException;
import io.mongoresume.job.plan.MigrationPlan;
import io.mongoresume.job.precheck.SourceCollections;
import org.bson.RawBsonDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code verify}: compares every selected source collection with the target (counts and content
 * hashes per {@code _id} range, then the differing documents), reports the differing {@code _id}s
 * and exits non-zero on any difference. Read-only on both sides.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Compare source and target per selected collection: counts, SHA-256 digests of the exact BSON"
                    + " bytes per _id range, then document by document inside differing ranges. Prints the"
                    + " missing, extra and different _ids (capped), progress on stderr.",
            "Exit code: 0 equal, 1 differences found, 2 unusable job file or unreachable server."
        })
public final class VerifyCommand extends ReportCommand {

    static final int EXIT_DIFFERENT = 1;
    static final int EXIT_BAD_INPUT = 2;

    @Mixin JobFileOptions jobFile;

    @Option(
            names = "--max-report",
            paramLabel = "N",
            defaultValue = "20",
            description =
                    "Most _ids listed per kind of difference and collection (default: ${DEFAULT-VALUE}); totals are always exact.")
    int maxReport;

    @Option(
            names = "--live",
            description =
                    "CDC is running: re-check differing ranges (up to 3 times, after --recheck-delay-ms) before reporting them.")
    boolean live;

    @Option(
            names = "--recheck-delay-ms",
            paramLabel = "D",
            defaultValue = "2000",
            description = "Wait before each re-check with --live (default: ${DEFAULT-VALUE}).")
    long recheckDelayMs;

    @Option(
            names = "--range-size",
            paramLabel = "N",
            defaultValue = "10000",
            description = "Documents per compared _id range (default: ${DEFAULT-VALUE}).")
    int rangeSize;

    @Option(names = "--json", description = "Print one JSON object instead of lines.")
    boolean json;

    @Override
    protected int run(PrintWriter out, PrintWriter err) throws Exception {
        if (maxReport < 0 || rangeSize <= 0 || recheckDelayMs < 0) {
            err.println(
                    "error: --max-report and --recheck-delay-ms must be >= 0, --range-size > 0");
            return EXIT_BAD_INPUT;
        }
        MigrationPlan migration;
        List<String> namespaces;
        try {
            migration = jobFile.load();
            namespaces = SourceCollections.resolve(migration);
        } catch (InvalidConfigException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return EXIT_BAD_INPUT;
        }
        List<CollectionReport> reports = new ArrayList<>();
        long started = System.nanoTime();
        try (MongoClient source = migration.sourceConnection().createClient();
                MongoClient target = migration.targetConnection().createClient()) {
            // One per server: which $type aliases a server rejects is found out once.
            TypeAliasSupport sourceAliases = new TypeAliasSupport();
            TypeAliasSupport targetAliases = new TypeAliasSupport();
            // Batches as the snapshot reads them: about 8 MiB of the average document, at most the
            // fetch size.
            int maxBatch = migration.snapshot().fetchSize();
            for (String namespace : namespaces) {
                MongoDatabase sourceDb =
                        source.getDatabase(CollectionSelection.databaseOf(namespace));
                String collection = CollectionSelection.collectionOf(namespace);
                MongoNamespace mapped = migration.target().target(namespace);
                MongoDatabase targetDb = target.getDatabase(mapped.getDatabaseName());
                String targetName = mapped.getCollectionName();
                CollectionVerifier verifier =
                        new CollectionVerifier(
                                side("source", sourceDb, collection, sourceAliases, maxBatch),
                                side("target", targetDb, targetName, targetAliases, maxBatch),
                                sourceDb.getName(),
                                collection,
                                migration.label(namespace),
                                rangeSize,
                                live,
                                recheckDelayMs,
                                err);
                reports.add(verifier.verify(maxReport));
            }
        } catch (com.mongodb.MongoException e) {
            err.println("error: verify failed: " + MongoConnectionOptions.mask(e.getMessage()));
            err.flush();
            return EXIT_BAD_INPUT;
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        long differences = reports.stream().mapToLong(CollectionReport::differences).sum();
        long differingCollections = reports.stream().filter(r -> !r.equal()).count();
        if (json) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("ok", differences == 0);
            root.put("sourceDatabase", migration.sourceDatabase());
            root.put("targetDatabase", migration.targetDatabase());
            if (!migration.selection().isShorthand()) {
                root.put("selection", migration.selection().toString());
                root.put("perDatabase", perDatabase(namespaces, reports));
            }
            root.put("differences", differences);
            root.put("elapsedMs", elapsedMs);
            List<Map<String, Object>> list = new ArrayList<>();
            reports.forEach(r -> list.add(r.toData()));
            root.put("collections", list);
            out.println(new ObjectMapper().writeValueAsString(root));
        } else {
            for (CollectionReport report : reports) {
                report.lines().forEach(out::println);
            }
            out.println(
                    (differences == 0 ? "EQUAL" : "DIFFERENT")
                            + ": "
                            + describe(migration, namespaces)
                            + ", "
                            + reports.size()
                            + " collection(s), "
                            + differences
                            + " difference(s) in "
                            + differingCollections
                            + " collection(s), "
                            + elapsedMs
                            + " ms");
        }
        out.flush();
        err.flush();
        return differences == 0 ? 0 : EXIT_DIFFERENT;
    }

    /**
     * What was compared: {@code shop -> shop_copy}, or across databases the selection and its
     * source databases.
     */
    private static String describe(MigrationPlan migration, List<String> namespaces) {
        if (migration.selection().isShorthand()) {
            return migration.sourceDatabase() + " -> " + migration.targetDatabase();
        }
        Set<String> databases = new TreeSet<>();
        namespaces.forEach(ns -> databases.add(CollectionSelection.databaseOf(ns)));
        return migration.selection()
                + " in "
                + databases.size()
                + " database(s) ("
                + String.join(", ", databases)
                + ") -> "
                + (migration.targetDatabase() != null
                        ? migration.targetDatabase()
                        : migration.target().namespaceMap().isIdentity()
                                ? "same names"
                                : "as mapped");
    }

    /** Per source database: collections compared and differences found. */
    private static Map<String, Object> perDatabase(
            List<String> namespaces, List<CollectionReport> reports) {
        Map<String, Object> perDatabase = new TreeMap<>();
        for (int i = 0; i < namespaces.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, Long> entry =
                    (Map<String, Long>)
                            perDatabase.computeIfAbsent(
                                    CollectionSelection.databaseOf(namespaces.get(i)),
                                    d -> new LinkedHashMap<String, Long>());
            entry.merge("collections", 1L, Long::sum);
            entry.merge("differences", reports.get(i).differences(), Long::sum);
        }
        return perDatabase;
    }

    /**
     * One side of a comparison: the collection of {@code database}, read in batches as the snapshot
     * reads.
     */
    private static CollectionVerifier.Side side(
            String name,
            MongoDatabase database,
            String collection,
            TypeAliasSupport aliases,
            int maxBatch) {
        return new CollectionVerifier.Side(
                name,
                database.getCollection(collection, RawBsonDocument.class),
                aliases,
                DocumentSize.measure(database, collection),
                maxBatch);
    }
}
