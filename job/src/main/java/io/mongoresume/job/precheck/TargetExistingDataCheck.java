package io.mongoresume.job.precheck;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoDatabase;
import io.mongoresume.connectors.common.selection.CollectionSelection;
import io.mongoresume.connectors.destination.ExistingDataPolicy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What target.existing-data will do to the documents already in the selected target collections.
 */
final class TargetExistingDataCheck implements PrecheckStep {

    private static final String NAME = "target existing data";

    @Override
    public List<CheckResult> run(PrecheckContext context) {
        ExistingDataPolicy policy = context.plan().target().existingData();
        String database = context.target().database();
        Map<String, List<String>> present = new HashMap<>();
        Map<String, Long> counts = new TreeMap<>();
        for (String namespace : context.selected()) {
            String collection = CollectionSelection.collectionOf(namespace);
            MongoNamespace mapped = context.plan().target().target(namespace);
            MongoDatabase db = context.target().client().getDatabase(mapped.getDatabaseName());
            List<String> names =
                    present.computeIfAbsent(
                            db.getName(), n -> db.listCollectionNames().into(new ArrayList<>()));
            if (names.contains(mapped.getCollectionName())) {
                // Named as before where the map keeps the name; else by the target namespace.
                String key =
                        database != null
                                        && mapped.getDatabaseName().equals(database)
                                        && mapped.getCollectionName().equals(collection)
                                ? collection
                                : mapped.getFullName();
                counts.put(
                        key, db.getCollection(mapped.getCollectionName()).estimatedDocumentCount());
            }
        }
        return List.of(report(policy, database != null ? database : "the target", counts));
    }

    /**
     * The report on {@code counts}, the estimated documents of each selected collection the target
     * has.
     */
    static CheckResult report(ExistingDataPolicy policy, String where, Map<String, Long> counts) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("policy", policy.toString());
        data.put("existingCollections", counts.keySet());
        data.put("existingDocuments", total);
        data.put("perCollection", counts);
        if (counts.isEmpty() || total == 0) {
            return CheckResult.pass(
                    NAME,
                    "no documents in the selected collections of "
                            + where
                            + " ("
                            + counts.size()
                            + " exist, empty); target.existing-data="
                            + policy
                            + " changes nothing",
                    data);
        }
        String detail;
        switch (policy) {
            case CLEAR:
                detail =
                        "target.existing-data=clear will delete "
                                + total
                                + " document(s) in "
                                + counts.size()
                                + " collection(s) of "
                                + where
                                + " (indexes kept): "
                                + counts;
                break;
            case DROP:
                detail =
                        "target.existing-data=drop will drop "
                                + counts.size()
                                + " collection(s) of "
                                + where
                                + " holding "
                                + total
                                + " document(s) and recreate them: "
                                + counts;
                break;
            default:
                detail =
                        "target.existing-data=keep: "
                                + total
                                + " document(s) already in "
                                + counts.size()
                                + " collection(s) of "
                                + where
                                + " stay; source documents with the same _id overwrite them, the rest remain"
                                + " (verify will report them as extra): "
                                + counts;
        }
        detail += ". Done once, at the job's first start, never on a resume";
        return CheckResult.warn(NAME, detail, data);
    }
}
