package io.mongoresume.job.testutils;

import com.mongodb.client.MongoClient;
import io.mongoresume.connectors.destination.TargetMetadata;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Checks of a migration whose namespaces are renamed on the way (target.namespace-map). */
public final class MappedNamespaces {

    private MappedNamespaces() {}

    /**
     * Waits until every source namespace equals its target namespace document by document (both
     * {@code database.collection}); the failure lists the differences.
     */
    public static void awaitEqual(
            MongoClient source, MongoClient target, Map<String, String> targets, Duration timeout)
            throws InterruptedException {
        List<CollectionDiff> diffs = new ArrayList<>();
        try {
            TestJobs.await(
                    "every selected namespace to equal its source under its mapped name",
                    timeout,
                    () -> {
                        diffs.clear();
                        targets.forEach(
                                (from, to) -> {
                                    int f = from.indexOf('.');
                                    int t = to.indexOf('.');
                                    diffs.add(
                                            CollectionDiff.ofRenamed(
                                                    source.getDatabase(from.substring(0, f)),
                                                    from.substring(f + 1),
                                                    target.getDatabase(to.substring(0, t)),
                                                    to.substring(t + 1)));
                                });
                        return diffs.stream().allMatch(CollectionDiff::isEqual);
                    });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + diffs, e);
        }
    }

    /**
     * Every collection of the databases whose names start with {@code prefix}, but the job's own
     * bookkeeping, as {@code database.collection}, sorted.
     */
    public static List<String> userNamespaces(MongoClient client, String prefix) {
        TreeSet<String> namespaces = new TreeSet<>();
        for (String db : client.listDatabaseNames()) {
            if (db.startsWith(prefix)) {
                for (String name : client.getDatabase(db).listCollectionNames()) {
                    if (!TargetMetadata.isOwnCollection(name)) {
                        namespaces.add(db + '.' + name);
                    }
                }
            }
        }
        return new ArrayList<>(namespaces);
    }
}
