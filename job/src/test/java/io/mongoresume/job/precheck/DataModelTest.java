package io.mongoresume.job.precheck;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DataModelTest {

    @Test
    void dotsNestedFieldsAndCollectsTypesPerPath() {
        DataModel model = new DataModel();
        model.add(BsonDocument.parse("{_id: 1, a: {b: 'x', c: [1, {d: true}]}, n: 1.5}"));
        model.add(
                BsonDocument.parse(
                        "{_id: {$oid: '5f0000000000000000000000'}, a: null, n: {$numberLong: '2'}}"));
        assertThat(model.documents()).isEqualTo(2);
        assertThat(model.fields().get("_id")).containsExactly("int", "objectId");
        assertThat(model.fields().get("a")).containsExactly("null", "object");
        assertThat(model.fields().get("a.b")).containsExactly("string");
        assertThat(model.fields().get("a.c[]")).containsExactly("int", "object");
        assertThat(model.fields().get("a.c[].d")).containsExactly("bool");
        assertThat(model.fields().get("n")).containsExactly("double", "long");
        assertThat(model.describe(2)).isEqualTo("_id: int|objectId, a: null|object, ... (5 more)");
    }

    @Test
    void stopsAddingFieldsAtTheLimit() {
        DataModel model = new DataModel();
        BsonDocument wide = new BsonDocument();
        for (int i = 0; i < DataModel.MAX_FIELDS + 10; i++) {
            wide.append("f" + i, new org.bson.BsonInt32(i));
        }
        model.add(wide);
        assertThat(model.fields()).hasSize(DataModel.MAX_FIELDS);
        assertThat(model.truncated()).isTrue();
    }
}
