package io.mongoresume.job.precheck;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.apache.flink.util.Preconditions.checkArgument;

/** The field paths and types of a sample of one collection; run by {@link PerCollectionChecks}. */
final class DataModelCheck {

    private static final int FIELDS_SHOWN = 40;

    private final int sampleSize;

    DataModelCheck(int sampleSize) {
        checkArgument(sampleSize > 0, "sample size must be positive");
        this.sampleSize = sampleSize;
    }

    CheckResult check(PerCollectionChecks.Measured collection) {
        String name = "data model " + collection.name();
        DocumentSampler.Sample sample =
                DocumentSampler.sample(collection.documents(), sampleSize, collection.batchSize());
        DataModel model = sample.model();
        String method = sample.method();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("sampled", model.documents());
        data.put("method", method);
        data.put("truncated", model.truncated());
        data.put("fields", model.toData());
        return CheckResult.pass(
                name,
                model.documents()
                        + " sampled ("
                        + method
                        + "): "
                        + (model.fields().isEmpty() ? "no fields" : model.describe(FIELDS_SHOWN)),
                data);
    }
}
