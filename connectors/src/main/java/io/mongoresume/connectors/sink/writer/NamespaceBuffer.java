package io.mongoresume.connectors.sink.writer;

import io.mongoresume.connectors.sink.writer.operation.WriteOp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pending writes of one target namespace, in event order. A write whose outcome does not depend
 * on the document's previous state (replace-upsert, delete) supersedes the previous pending write
 * to the same {@code _id}: dropping that one cannot change the final state, and the order of the
 * remaining writes is kept. Conditional writes never supersede anything.
 */
final class NamespaceBuffer {

    private final List<WriteOp> ops = new ArrayList<>();
    private final Map<String, Integer> lastIndexByKey = new HashMap<>();
    private int live;
    private long firstAddedAt = -1;

    /**
     * @return how many live writes the buffer gained: 1, or 0 when the write superseded a pending
     *     one
     */
    int add(WriteOp op, long now) {
        if (live == 0) {
            firstAddedAt = now;
        }
        Integer previous = lastIndexByKey.put(op.key(), ops.size());
        ops.add(op);
        if (previous != null && op.kind().isUnconditional() && ops.get(previous) != null) {
            ops.set(previous, null);
            return 0;
        }
        live++;
        return 1;
    }

    int size() {
        return live;
    }

    boolean isEmpty() {
        return live == 0;
    }

    /** Processing time of the first write since the last drain; -1 when empty. */
    long firstAddedAt() {
        return live == 0 ? -1 : firstAddedAt;
    }

    /** The live writes in order; the buffer is empty afterwards. */
    List<WriteOp> drain() {
        if (live == 0) {
            return Collections.emptyList();
        }
        List<WriteOp> out = new ArrayList<>(live);
        for (WriteOp op : ops) {
            if (op != null) {
                out.add(op);
            }
        }
        ops.clear();
        lastIndexByKey.clear();
        live = 0;
        firstAddedAt = -1;
        return out;
    }
}
