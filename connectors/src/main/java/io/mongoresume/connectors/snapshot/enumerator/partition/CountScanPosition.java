package io.mongoresume.connectors.snapshot.enumerator.partition;

import org.apache.flink.annotation.Internal;

import org.bson.BsonValue;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

import io.mongoresume.connectors.common.bson.TypeBracket;

/**
 * How far a COUNT scan of one collection got: per bracket, the lower bound of the next split (every
 * split before it was already emitted). Brackets without an entry have emitted no split yet and are
 * scanned again from their start after a restore. Immutable.
 */
@Internal
public final class CountScanPosition {

    public static final CountScanPosition START = new CountScanPosition(Collections.emptyMap());

    private final Map<TypeBracket, BsonValue> nextLowers;

    public CountScanPosition(Map<TypeBracket, BsonValue> nextLowers) {
        this.nextLowers =
                nextLowers.isEmpty()
                        ? Collections.emptyMap()
                        : Collections.unmodifiableMap(new EnumMap<>(nextLowers));
    }

    public Map<TypeBracket, BsonValue> nextLowers() {
        return nextLowers;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CountScanPosition
                && nextLowers.equals(((CountScanPosition) o).nextLowers);
    }

    @Override
    public int hashCode() {
        return nextLowers.hashCode();
    }

    @Override
    public String toString() {
        return "CountScanPosition" + nextLowers;
    }
}
