package io.mongoresume.job.demo;

import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A list of ids with O(1) add, contains and remove-at (swap with last). */
final class IdPool {
    final List<BsonValue> values = new ArrayList<>();
    final Map<BsonValue, Integer> positions = new HashMap<>();

    void add(BsonValue id) {
        positions.put(id, values.size());
        values.add(id);
    }

    boolean contains(BsonValue id) {
        return positions.containsKey(id);
    }

    int size() {
        return values.size();
    }

    BsonValue get(int position) {
        return values.get(position);
    }

    void remove(int position) {
        BsonValue removed = values.get(position);
        BsonValue last = values.remove(values.size() - 1);
        positions.remove(removed);
        if (position < values.size()) {
            values.set(position, last);
            positions.put(last, position);
        }
    }
}
