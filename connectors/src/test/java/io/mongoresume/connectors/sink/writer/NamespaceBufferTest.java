package io.mongoresume.connectors.sink.writer;

import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import io.mongoresume.connectors.event.EventKind;
import io.mongoresume.connectors.event.MigrationEvent;
import io.mongoresume.connectors.sink.writer.operation.WriteOp;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NamespaceBufferTest {

    private static WriteOp op(WriteOp.Kind kind, String key) {
        return new WriteOp(
                kind,
                key,
                new DeleteOneModel<>(Filters.eq("_id", key)),
                MigrationEvent.change(EventKind.DELETE, "db", "c", new BsonString(key), null, 0));
    }

    @Test
    void unconditionalWriteSupersedesThePreviousOneOfTheSameId() {
        NamespaceBuffer buffer = new NamespaceBuffer();
        WriteOp a1 = op(WriteOp.Kind.REPLACE_UPSERT, "a");
        WriteOp b1 = op(WriteOp.Kind.REPLACE_UPSERT, "b");
        WriteOp a2 = op(WriteOp.Kind.DELETE, "a");
        WriteOp a3 = op(WriteOp.Kind.REPLACE_UPSERT, "a");
        assertThat(buffer.add(a1, 5)).isEqualTo(1);
        assertThat(buffer.add(b1, 6)).isEqualTo(1);
        assertThat(buffer.add(a2, 7)).isEqualTo(0);
        assertThat(buffer.add(a3, 8)).isEqualTo(0);
        assertThat(buffer.size()).isEqualTo(2);
        assertThat(buffer.firstAddedAt()).isEqualTo(5);
        assertThat(buffer.drain()).containsExactly(b1, a3);
        assertThat(buffer.isEmpty()).isTrue();
        assertThat(buffer.firstAddedAt()).isEqualTo(-1);
    }

    @Test
    void conditionalWritesKeepTheirPredecessors() {
        WriteOp a1 = op(WriteOp.Kind.REPLACE_UPSERT, "a");
        WriteOp a2 = op(WriteOp.Kind.REPLACE_IF_EXISTS, "a");
        WriteOp a3 = op(WriteOp.Kind.INSERT_IF_ABSENT, "a");
        WriteOp a4 = op(WriteOp.Kind.MARK_DELETED, "a");
        assertThat(bufferOf(a1, a2, a3, a4).drain()).containsExactly(a1, a2, a3, a4);
    }

    @Test
    void unconditionalAfterConditionalDropsOnlyTheLastOne() {
        WriteOp a1 = op(WriteOp.Kind.INSERT_IF_ABSENT, "a");
        WriteOp a2 = op(WriteOp.Kind.REPLACE_IF_EXISTS, "a");
        WriteOp a3 = op(WriteOp.Kind.DELETE, "a");
        // Keeping a1 is harmless: a3's outcome does not depend on it.
        List<WriteOp> drained = bufferOf(a1, a2, a3).drain();
        assertThat(drained).containsExactly(a1, a3);
    }

    /** A buffer that was given {@code ops} in this order, all at time 0. */
    private static NamespaceBuffer bufferOf(WriteOp... ops) {
        NamespaceBuffer buffer = new NamespaceBuffer();
        for (WriteOp op : ops) {
            buffer.add(op, 0);
        }
        return buffer;
    }
}
