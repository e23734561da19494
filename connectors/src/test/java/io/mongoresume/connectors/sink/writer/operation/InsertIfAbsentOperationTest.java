package io.mongoresume.connectors.sink.writer.operation;

import com.mongodb.client.model.InsertOneModel;
import io.mongoresume.connectors.event.EventKind;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import static io.mongoresume.connectors.sink.writer.operation.OperationTestEvents.FILTER;
import static io.mongoresume.connectors.sink.writer.operation.OperationTestEvents.KEY;
import static io.mongoresume.connectors.sink.writer.operation.OperationTestEvents.assertUpdateById;
import static io.mongoresume.connectors.sink.writer.operation.OperationTestEvents.change;
import static org.assertj.core.api.Assertions.assertThat;

class InsertIfAbsentOperationTest {

    private static WriteOp insert(BsonDocument doc) {
        return InsertIfAbsentOperation.INSTANCE.toWrite(change(EventKind.INSERT, doc), FILTER, KEY);
    }

    @Test
    void setsTheFieldsButIdOnlyOnInsert() {
        WriteOp op =
                insert(
                        new BsonDocument("_id", new BsonInt32(7))
                                .append("a", new BsonString("x"))
                                .append("b", new BsonInt32(1)));
        assertThat(op.kind()).isEqualTo(WriteOp.Kind.INSERT_IF_ABSENT);
        assertThat(op.isUpsert()).isTrue();
        assertThat(op.isInsertOnly()).isFalse();
        assertUpdateById(
                op,
                true,
                new BsonDocument(
                        "$setOnInsert",
                        new BsonDocument("a", new BsonString("x")).append("b", new BsonInt32(1))));
    }

    @Test
    void namesThatReadAsPathsOrOperatorsFallBackToInsertOne() {
        for (String name : new String[] {"b.c", "$x"}) {
            WriteOp op =
                    insert(
                            new BsonDocument("_id", new BsonInt32(7))
                                    .append(name, new BsonInt32(1)));
            assertThat(op.model()).as(name).isInstanceOf(InsertOneModel.class);
            assertThat(op.kind()).isEqualTo(WriteOp.Kind.INSERT_IF_ABSENT);
            assertThat(op.isInsertOnly()).isTrue();
            assertThat(op.isUpsert()).isFalse();
        }
    }

    @Test
    void aDocumentOfOnlyItsIdFallsBackToInsertOne() {
        assertThat(insert(new BsonDocument("_id", new BsonInt32(7))).model())
                .isInstanceOf(InsertOneModel.class);
    }
}
