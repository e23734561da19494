package io.mongoresume.connectors.snapshot.enumerator.partition;

import io.mongoresume.connectors.common.bson.TypeBracket;
import io.mongoresume.connectors.snapshot.query.IdComparator;
import io.mongoresume.connectors.snapshot.split.SnapshotSplit;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.mongoresume.connectors.snapshot.enumerator.partition.PartitionAssertions.assertEveryIdInExactlyOneSplit;
import static org.assertj.core.api.Assertions.assertThat;

class IdInterpolationTest {

    @Test
    void intsInterpolateLinearlyAndStayInt32() {
        assertThat(IdInterpolation.boundaries(new BsonInt32(0), new BsonInt32(100), 4))
                .containsExactly(new BsonInt32(25), new BsonInt32(50), new BsonInt32(75));
    }

    @Test
    void longsWithoutOverflowAndDeduplicated() {
        assertThat(
                        IdInterpolation.boundaries(
                                new BsonInt64(Long.MIN_VALUE), new BsonInt64(Long.MAX_VALUE), 2))
                .containsExactly(new BsonInt64(-1));
        assertThat(IdInterpolation.boundaries(new BsonInt32(0), new BsonInt64(3), 10))
                .containsExactly(new BsonInt64(1), new BsonInt64(2));
    }

    @Test
    void doublesAndDecimals() {
        assertThat(IdInterpolation.boundaries(new BsonDouble(0.0), new BsonInt32(1), 4))
                .containsExactly(new BsonDouble(0.25), new BsonDouble(0.5), new BsonDouble(0.75));
        assertThat(
                        IdInterpolation.boundaries(
                                new BsonInt32(0), new BsonDecimal128(Decimal128.parse("1")), 2))
                .containsExactly(new BsonDecimal128(Decimal128.parse("0.5")));
        assertThat(IdInterpolation.boundaries(new BsonDouble(Double.NaN), new BsonInt32(5), 4))
                .isEmpty();
        assertThat(
                        IdInterpolation.boundaries(
                                new BsonInt32(0), new BsonDouble(Double.POSITIVE_INFINITY), 4))
                .isEmpty();
    }

    @Test
    void objectIdsByTheirTwelveBytes() {
        List<BsonValue> b =
                IdInterpolation.boundaries(
                        new BsonObjectId(new ObjectId("000000000000000000000000")),
                        new BsonObjectId(new ObjectId("ffffffffffffffffffffffff")),
                        4);
        assertThat(b)
                .containsExactly(
                        new BsonObjectId(new ObjectId("3fffffffffffffffffffffff")),
                        new BsonObjectId(new ObjectId("7fffffffffffffffffffffff")),
                        new BsonObjectId(new ObjectId("bfffffffffffffffffffffff")));
    }

    @Test
    void datesByMillis() {
        assertThat(IdInterpolation.boundaries(new BsonDateTime(-1000), new BsonDateTime(1000), 2))
                .containsExactly(new BsonDateTime(0));
    }

    @Test
    void stringsByBytePrefixAlwaysValidAndIncreasing() {
        List<BsonValue> ascii =
                IdInterpolation.boundaries(new BsonString("a"), new BsonString("z"), 5);
        assertThat(ascii).hasSize(4).allMatch(v -> v.asString().getValue().length() == 1);
        assertIncreasingInside(ascii, new BsonString("a"), new BsonString("z"));

        BsonString lo = new BsonString("user-0001");
        BsonString hi = new BsonString("user-9999");
        assertIncreasingInside(IdInterpolation.boundaries(lo, hi, 16), lo, hi);

        BsonString uLo = new BsonString("Ärger");
        BsonString uHi = new BsonString("用户😀数据");
        List<BsonValue> unicode = IdInterpolation.boundaries(uLo, uHi, 50);
        assertThat(unicode).isNotEmpty();
        assertIncreasingInside(unicode, uLo, uHi);
        for (BsonValue v : unicode) {
            String s = v.asString().getValue();
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            assertThat(new String(utf8, StandardCharsets.UTF_8)).isEqualTo(s);
            assertThat(s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF)).isTrue();
            assertThat(s).doesNotContain("\uFFFD");
            assertThat(s.chars().allMatch(ch -> ch < 0xE000)).as("order-safe %s", s).isTrue();
        }
    }

    @Test
    void stringBoundariesAvoidCharactersWhoseOrderDiffersBetweenUtf8AndUtf16() {
        BsonString lo = new BsonString("\uE000");
        BsonString hi = new BsonString("😀😀");
        List<BsonValue> b = IdInterpolation.boundaries(lo, hi, 8);
        // every candidate starts with a character >= U+E000, so each is cut to "" (<= min) and
        // dropped
        assertThat(b).isEmpty();
        List<BsonValue> mixed =
                IdInterpolation.boundaries(new BsonString("a"), new BsonString("z😀"), 8);
        assertThat(mixed)
                .isNotEmpty()
                .allMatch(v -> v.asString().getValue().chars().allMatch(ch -> ch < 0xE000));
    }

    @Test
    void validUtf8PrefixStopsAtBrokenSequences() {
        assertThat(
                        IdInterpolation.validUtf8PrefixLength(
                                new byte[] {'a', (byte) 0xc3, (byte) 0xa4}))
                .isEqualTo(3);
        assertThat(IdInterpolation.validUtf8PrefixLength(new byte[] {'a', (byte) 0xc3}))
                .isEqualTo(1);
        assertThat(IdInterpolation.validUtf8PrefixLength(new byte[] {'a', (byte) 0xff, 'b'}))
                .isEqualTo(1);
        // surrogate code points (ED A0..BF) and overlong forms (C0, E0 80..9F) are not UTF-8
        assertThat(
                        IdInterpolation.validUtf8PrefixLength(
                                new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}))
                .isZero();
        assertThat(IdInterpolation.validUtf8PrefixLength(new byte[] {(byte) 0xc0, (byte) 0x80}))
                .isZero();
        assertThat(
                        IdInterpolation.validUtf8PrefixLength(
                                new byte[] {(byte) 0xe0, (byte) 0x80, (byte) 0x80}))
                .isZero();
        assertThat(
                        IdInterpolation.validUtf8PrefixLength(
                                new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}))
                .isZero();
        assertThat(IdInterpolation.validUtf8PrefixLength("😀".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(4);
    }

    @Test
    void minMaxPartitionerCutsInterpolatableBracketsAndKeepsOthersWhole() throws Exception {
        List<BsonValue> ids = io.mongoresume.connectors.snapshot.SnapshotTestData.mixedIds(400);
        ids.sort(IdComparator.INSTANCE);
        FakeIdSource source = new FakeIdSource(ids);
        List<SnapshotSplit> splits =
                MinMaxPartitioner.INSTANCE.partition(
                        new PartitionContext(
                                "db", "coll", 1, 8, 0, CountScanPosition.START, source),
                        (s, p) -> {
                            throw new AssertionError("MIN_MAX emits at the end");
                        });
        assertEveryIdInExactlyOneSplit(ids, splits);
        for (TypeBracket cut :
                List.of(
                        TypeBracket.NUMBER,
                        TypeBracket.STRING,
                        TypeBracket.OBJECT_ID,
                        TypeBracket.DATE)) {
            assertThat(splits.stream().filter(s -> s.bracket() == cut).count())
                    .as("%s", cut)
                    .isBetween(2L, 8L);
        }
        for (TypeBracket whole :
                List.of(
                        TypeBracket.BINARY,
                        TypeBracket.OBJECT,
                        TypeBracket.BOOLEAN,
                        TypeBracket.NULL)) {
            assertThat(splits.stream().filter(s -> s.bracket() == whole))
                    .as("%s", whole)
                    .hasSize(1);
        }
        assertThat(splits).extracting(SnapshotSplit::splitId).doesNotHaveDuplicates();
    }

    /**
     * Seen in ConvergenceITCase: the workload deleted a one-document collection between the
     * partitioner's min and max probes, and the partitioner failed the job with a
     * NullPointerException.
     */
    @Test
    void minMaxPartitionerCutsNothingWhenTheCollectionEmptiesBetweenItsProbes() throws Exception {
        FakeIdSource source = new FakeIdSource(List.of(new BsonInt32(7)));
        source.emptyAfterEdgeQueries = 1;
        assertThat(
                        MinMaxPartitioner.INSTANCE.partition(
                                new PartitionContext(
                                        "db", "c", 1, 8, 0, CountScanPosition.START, source),
                                (s, p) -> {}))
                .isEmpty();
    }

    @Test
    void minMaxPartitionerAsksOnlyForTheOverallEdgesWhenTheyShareABracket() throws Exception {
        List<BsonValue> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(new BsonInt32(i * 3));
        }
        FakeIdSource source = new FakeIdSource(ids);
        List<SnapshotSplit> splits =
                MinMaxPartitioner.INSTANCE.partition(
                        new PartitionContext("db", "c", 1, 8, 0, CountScanPosition.START, source),
                        (s, p) -> {});
        assertEveryIdInExactlyOneSplit(ids, splits);
        assertThat(splits).hasSize(8).allMatch(s -> s.bracket() == TypeBracket.NUMBER);
        // Overall min and max, nothing per bracket: a probe per absent bracket would be wasted.
        assertThat(source.edgeQueries).isEqualTo(2);
    }

    @Test
    void candidateBracketsAreAllOfThemWhenTheEdgesDiffer() {
        assertThat(MinMaxPartitioner.candidateBrackets(null, null)).isEmpty();
        assertThat(MinMaxPartitioner.candidateBrackets(new BsonInt32(1), new BsonDouble(2.5)))
                .containsExactly(TypeBracket.NUMBER);
        assertThat(MinMaxPartitioner.candidateBrackets(new BsonInt32(1), new BsonString("a")))
                .containsExactly(TypeBracket.values());
    }

    @Test
    void minMaxPartitionerEmptyAndSingle() throws Exception {
        PartitionContext empty =
                new PartitionContext(
                        "db", "c", 1, 8, 0, CountScanPosition.START, new FakeIdSource(List.of()));
        assertThat(MinMaxPartitioner.INSTANCE.partition(empty, (s, p) -> {})).isEmpty();
        PartitionContext single =
                new PartitionContext(
                        "db",
                        "c",
                        1,
                        8,
                        0,
                        CountScanPosition.START,
                        new FakeIdSource(List.of(new BsonInt32(5))));
        List<SnapshotSplit> one = MinMaxPartitioner.INSTANCE.partition(single, (s, p) -> {});
        assertThat(one).hasSize(1);
        assertThat(one.get(0).lower()).isNull();
        assertThat(one.get(0).upper()).isNull();
    }

    private static void assertIncreasingInside(
            List<BsonValue> boundaries, BsonValue min, BsonValue max) {
        List<BsonValue> sorted = new ArrayList<>(boundaries);
        sorted.sort(IdComparator.INSTANCE);
        assertThat(boundaries).containsExactlyElementsOf(sorted).doesNotHaveDuplicates();
        for (BsonValue b : boundaries) {
            assertThat(IdComparator.INSTANCE.compare(b, min)).isGreaterThan(0);
            assertThat(IdComparator.INSTANCE.compare(b, max)).isLessThanOrEqualTo(0);
        }
    }
}
