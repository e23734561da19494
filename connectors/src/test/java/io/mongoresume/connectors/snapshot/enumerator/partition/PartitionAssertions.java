package io.mongoresume.connectors.snapshot.enumerator.partition;

import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.snapshot.query.IdComparator;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;
import org.bson.BsonValue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks that splits cover ids exactly once, by MongoDB's comparison rules. */
final class PartitionAssertions {

    private PartitionAssertions() {}

    static boolean contains(SnapshotSplit split, BsonValue id) {
        IdComparator cmp = IdComparator.INSTANCE;
        return split.bracket() == TypeBracket.of(id.getBsonType())
                && (split.lower() == null || cmp.compare(id, split.lower()) >= 0)
                && (split.upper() == null || cmp.compare(id, split.upper()) < 0);
    }

    static void assertEveryIdInExactlyOneSplit(List<BsonValue> ids, List<SnapshotSplit> splits) {
        Set<String> splitIds = new HashSet<>();
        for (SnapshotSplit split : splits) {
            assertThat(splitIds.add(split.splitId())).as("unique split id %s", split).isTrue();
            if (split.lower() != null && split.upper() != null) {
                assertThat(IdComparator.INSTANCE.compare(split.lower(), split.upper()))
                        .as("non-empty range %s", split)
                        .isLessThan(0);
            }
        }
        for (BsonValue id : ids) {
            long containing = splits.stream().filter(s -> contains(s, id)).count();
            assertThat(containing).as("splits containing %s", id).isEqualTo(1);
        }
    }
}
