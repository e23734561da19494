package io.mongoresume.connectors.snapshot.enumerator.partition;

import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.snapshot.query.IdComparator;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.mongoresume.connectors.snapshot.enumerator.partition.PartitionAssertions.assertEveryIdInExactlyOneSplit;
import static org.assertj.core.api.Assertions.assertThat;

class CountPartitionerTest {

    @Test
    void cutsEveryNthIdWithOneScanAndEmitsEarly() throws Exception {
        List<BsonValue> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(new BsonInt32(i * 10));
        }
        FakeIdSource source = new FakeIdSource(ids);
        List<SnapshotSplit> early = new ArrayList<>();
        List<CountScanPosition> positions = new ArrayList<>();
        List<SnapshotSplit> last =
                CountPartitioner.INSTANCE.partition(
                        context(source, 4, CountScanPosition.START, 0),
                        (splits, position) -> {
                            early.addAll(splits);
                            positions.add(position);
                        });

        assertThat(source.scans).containsExactly(CountScanPosition.START);
        assertThat(early)
                .extracting(SnapshotSplit::lower, SnapshotSplit::upper)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(null, new BsonInt32(40)),
                        org.assertj.core.groups.Tuple.tuple(new BsonInt32(40), new BsonInt32(80)));
        assertThat(positions.get(1).nextLowers())
                .containsEntry(TypeBracket.NUMBER, new BsonInt32(80));
        assertThat(last).hasSize(1);
        assertThat(last.get(0).lower()).isEqualTo(new BsonInt32(80));
        assertThat(last.get(0).upper()).isNull();
        assertThat(last.get(0).splitId()).isEqualTo("db.coll_2");
    }

    @Test
    void mixedTypesAreSplitPerBracketAndCoverEveryId() throws Exception {
        List<BsonValue> ids = io.mongoresume.connectors.snapshot.SnapshotTestData.mixedIds(300);
        ids.sort(IdComparator.INSTANCE);
        FakeIdSource source = new FakeIdSource(ids);
        List<SnapshotSplit> all = run(source, 37, CountScanPosition.START, 0);

        assertThat(source.scans).hasSize(1);
        assertEveryIdInExactlyOneSplit(ids, all);
        for (SnapshotSplit split : all) {
            if (!CountPartitioner.SPLITTABLE.contains(split.bracket())) {
                continue;
            }
            long inSplit =
                    ids.stream().filter(id -> PartitionAssertions.contains(split, id)).count();
            assertThat(inSplit).as("size of %s", split).isLessThanOrEqualTo(37);
        }
        assertThat(all)
                .extracting(SnapshotSplit::bracket)
                .contains(
                        TypeBracket.NUMBER,
                        TypeBracket.STRING,
                        TypeBracket.OBJECT_ID,
                        TypeBracket.BINARY,
                        TypeBracket.DATE,
                        TypeBracket.OBJECT,
                        TypeBracket.BOOLEAN,
                        TypeBracket.NULL,
                        TypeBracket.MIN_KEY,
                        TypeBracket.MAX_KEY);
        assertThat(all).noneMatch(SnapshotSplit::clientFiltered);
    }

    @Test
    void perBracketCountersSurviveAServerThatInterleavesBrackets() throws Exception {
        List<BsonValue> numbers = new ArrayList<>();
        List<BsonValue> strings = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            numbers.add(new BsonInt64(i));
            strings.add(new BsonString(String.format("k%03d", i)));
        }
        List<BsonValue> interleaved = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            interleaved.add(numbers.get(i));
            interleaved.add(strings.get(i));
        }
        List<SnapshotSplit> all =
                run(new FakeIdSource(interleaved), 10, CountScanPosition.START, 0);
        assertEveryIdInExactlyOneSplit(interleaved, all);
        assertThat(all.stream().filter(s -> s.bracket() == TypeBracket.NUMBER)).hasSize(10);
        assertThat(all.stream().filter(s -> s.bracket() == TypeBracket.STRING)).hasSize(10);
    }

    @Test
    void resumesTheScanFromTheRecordedPosition() throws Exception {
        List<BsonValue> ids = io.mongoresume.connectors.snapshot.SnapshotTestData.mixedIds(200);
        ids.sort(IdComparator.INSTANCE);
        List<SnapshotSplit> early = new ArrayList<>();
        List<CountScanPosition> positions = new ArrayList<>();
        List<SnapshotSplit> fresh =
                CountPartitioner.INSTANCE.partition(
                        context(new FakeIdSource(ids), 25, CountScanPosition.START, 0),
                        (splits, position) -> {
                            early.addAll(splits);
                            positions.add(position);
                        });
        assertThat(early.size()).isGreaterThan(10);

        // Restore after the 7th emitted split: splits 0..6 are kept, the scan continues from its
        // position.
        int kept = 7;
        FakeIdSource restored = new FakeIdSource(ids);
        List<SnapshotSplit> resumed = run(restored, 25, positions.get(kept - 1), kept);
        assertThat(restored.scans).containsExactly(positions.get(kept - 1));

        List<SnapshotSplit> combined = new ArrayList<>(early.subList(0, kept));
        combined.addAll(resumed);
        assertEveryIdInExactlyOneSplit(ids, combined);
        List<SnapshotSplit> freshAll = new ArrayList<>(early);
        freshAll.addAll(fresh);
        assertThat(combined).hasSameSizeAs(freshAll);
    }

    @Test
    void resumeFilterContinuesCutBracketsAndRescansTheRest() {
        CountScanPosition position =
                new CountScanPosition(
                        java.util.Map.of(
                                TypeBracket.NUMBER,
                                new BsonInt32(40),
                                TypeBracket.STRING,
                                new BsonString("m")));
        String filter =
                CountPartitioner.resumeFilter(
                                position,
                                new io.mongoresume.connectors.snapshot.query.TypeAliasSupport())
                        .toJson();
        assertThat(filter)
                .contains(
                        "{\"_id\": {\"$type\": [\"int\", \"long\", \"double\", \"decimal\"],"
                                + " \"$gte\": 40}}")
                .contains("{\"_id\": {\"$type\": [\"string\", \"symbol\"], \"$gte\": \"m\"}}")
                .contains("\"objectId\"")
                .doesNotContain("\"int\", \"long\", \"double\", \"decimal\", ");
        assertThat(
                        CountPartitioner.resumeFilter(
                                CountScanPosition.START,
                                new io.mongoresume.connectors.snapshot.query.TypeAliasSupport()))
                .isNull();
    }

    @Test
    void emptyCollectionHasNoSplitsAndSingleDocumentOne() throws Exception {
        assertThat(run(new FakeIdSource(Collections.emptyList()), 10, CountScanPosition.START, 0))
                .isEmpty();
        List<SnapshotSplit> one =
                run(new FakeIdSource(List.of(new BsonString("x"))), 10, CountScanPosition.START, 0);
        assertThat(one).hasSize(1);
        assertThat(one.get(0).lower()).isNull();
        assertThat(one.get(0).upper()).isNull();
    }

    @Test
    void binaryBracketTheServerCannotRangeFilterIsOneClientFilteredSplit() throws Exception {
        List<BsonValue> ids = new ArrayList<>();
        Random random = new Random(1);
        for (int i = 0; i < 50; i++) {
            ids.add(new org.bson.BsonBinary(new java.util.UUID(random.nextLong(), i)));
            ids.add(new BsonInt32(i));
        }
        ids.sort(IdComparator.INSTANCE);
        List<SnapshotSplit> all = run(new FakeIdSource(ids, false), 10, CountScanPosition.START, 0);
        assertEveryIdInExactlyOneSplit(ids, all);
        assertThat(all.stream().filter(s -> s.bracket() == TypeBracket.BINARY))
                .singleElement()
                .matches(SnapshotSplit::clientFiltered);
        assertThat(all.stream().filter(s -> s.bracket() == TypeBracket.NUMBER)).hasSize(5);
    }

    static List<SnapshotSplit> run(
            FakeIdSource source, long size, CountScanPosition from, int first) throws Exception {
        List<SnapshotSplit> all = new ArrayList<>();
        all.addAll(
                CountPartitioner.INSTANCE.partition(
                        context(source, size, from, first),
                        (splits, position) -> all.addAll(splits)));
        return all;
    }

    static PartitionContext context(IdSource source, long size, CountScanPosition from, int first) {
        return new PartitionContext("db", "coll", size, 4, first, from, source);
    }
}
