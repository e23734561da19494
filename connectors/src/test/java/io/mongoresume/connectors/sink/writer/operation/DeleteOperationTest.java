package io.mongoresume.connectors.sink.writer.operation;

import com.mongodb.client.model.DeleteOneModel;
import io.mongoresume.connectors.event.EventKind;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;

import static io.mongoresume.connectors.sink.writer.operation.OperationTestEvents.FILTER;
import static io.mongoresume.connectors.sink.writer.operation.OperationTestEvents.ID_FILTER;
import static io.mongoresume.connectors.sink.writer.operation.OperationTestEvents.KEY;
import static io.mongoresume.connectors.sink.writer.operation.OperationTestEvents.change;
import static org.assertj.core.api.Assertions.assertThat;

class DeleteOperationTest {

    @Test
    void deletesById() {
        WriteOp op = DeleteOperation.INSTANCE.toWrite(change(EventKind.DELETE, null), FILTER, KEY);
        assertThat(op.kind()).isEqualTo(WriteOp.Kind.DELETE);
        assertThat(op.kind().isDeletion()).isTrue();
        assertThat(op.kind().isUnconditional()).isTrue();
        assertThat(op.key()).isEqualTo(KEY);
        assertThat(((DeleteOneModel<RawBsonDocument>) op.model()).getFilter().toBsonDocument())
                .isEqualTo(ID_FILTER);
    }
}
