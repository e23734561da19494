package io.mongoresume.connectors.snapshot.enumerator.partition;

import org.apache.flink.annotation.Internal;

import io.mongoresume.connectors.common.bson.TypeBracket;
import org.bson.BsonValue;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * How far a COUNT scan of one collection got: per bracket, the lower bound of the next split (every
 * split before it was already emitted). Brackets without an entry have emitted no split yet and are
 * scanned again from their start after a restore. Immutable.
 */
@Internal
public record CountScanPosition(Map<TypeBracket, BsonValue> nextLowers) {

    public static final CountScanPosition START = new CountScanPosition(Collections.emptyMap());

    public CountScanPosition {
        nextLowers =
                nextLowers.isEmpty()
                        ? Collections.emptyMap()
                        : Collections.unmodifiableMap(new EnumMap<>(nextLowers));
    }

    @Override
    public String toString() {
        return "CountScanPosition" + nextLowers;
    }
}
