package io.mongoresume.connectors.sink.writer.operation;

import io.mongoresume.connectors.event.EventKind;
import io.mongoresume.connectors.sink.WritePolicy;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import static io.mongoresume.connectors.sink.writer.operation.OperationTestEvents.FILTER;
import static io.mongoresume.connectors.sink.writer.operation.OperationTestEvents.KEY;
import static io.mongoresume.connectors.sink.writer.operation.OperationTestEvents.assertUpdateById;
import static io.mongoresume.connectors.sink.writer.operation.OperationTestEvents.change;
import static org.assertj.core.api.Assertions.assertThat;

class MarkDeletedOperationTest {

    @Test
    void setsTheMarkersWithTheSourceTimeOnAnExistingDocumentOnly() {
        WriteOp op =
                MarkDeletedOperation.INSTANCE.toWrite(change(EventKind.DELETE, null), FILTER, KEY);
        assertThat(op.kind()).isEqualTo(WriteOp.Kind.MARK_DELETED);
        assertThat(op.kind().isDeletion()).isTrue();
        assertThat(op.kind().isUnconditional())
                .as("depends on whether the document exists")
                .isFalse();
        assertUpdateById(
                op,
                false,
                new BsonDocument(
                        "$set",
                        new BsonDocument(WritePolicy.DELETED_FIELD, BsonBoolean.TRUE)
                                .append(WritePolicy.DELETED_AT_FIELD, new BsonDateTime(1000L))));
    }
}
