package io.mongoresume.job.config;

import com.mongodb.WriteConcern;
import io.mongoresume.connectors.destination.ExistingDataPolicy;
import io.mongoresume.connectors.snapshot.enumerator.partition.PartitionStrategy;
import io.mongoresume.connectors.snapshot.query.SnapshotReadConcern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationConfigTest {

    private static final List<String> REQUIRED =
            Arrays.asList(
                    "source.uri=mongodb://localhost:27017",
                    "source.database=shop",
                    "target.uri=mongodb://localhost:27018");

    @TempDir Path dir;

    @Test
    void readsNestedAndDottedYamlWithListsAndOverrides() throws IOException {
        Path file =
                write(
                        "source:\n"
                                + "  uri: mongodb://src:27017\n"
                                + "  database: shop\n"
                                + "  collections: [orders, customers]\n"
                                + "target.uri: mongodb://dst:27017\n"
                                + "snapshot:\n"
                                + "  partition:\n"
                                + "    strategy: min-max\n"
                                + "    count: 16\n"
                                + "checkpoint.interval: 5 s\n"
                                + "flink:\n"
                                + "  taskmanager.numberOfTaskSlots: 4\n");

        MigrationConfig config =
                JobConfigLoader.load(file, Collections.singletonList("snapshot.readers=3"));

        assertThat(config.get(MigrationOptions.SOURCE_URI)).isEqualTo("mongodb://src:27017");
        assertThat(config.collections()).containsExactly("orders", "customers");
        assertThat(config.get(MigrationOptions.SNAPSHOT_PARTITION_STRATEGY))
                .isEqualTo(PartitionStrategy.MIN_MAX);
        assertThat(config.get(MigrationOptions.SNAPSHOT_PARTITION_COUNT)).isEqualTo(16);
        assertThat(config.get(MigrationOptions.SNAPSHOT_READERS)).isEqualTo(3);
        assertThat(config.get(MigrationOptions.CHECKPOINT_INTERVAL))
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(config.flinkOptions().toMap())
                .containsEntry("taskmanager.numberOfTaskSlots", "4");
        assertThat(config.targetDatabase()).isEqualTo("shop");
    }

    @Test
    void defaultsMatchTheDocumentedOnes() {
        MigrationConfig config = load();
        assertThat(config.get(MigrationOptions.SYNC_TYPE)).isEqualTo(SyncType.FULL_INCREMENTAL);
        assertThat(config.get(MigrationOptions.MERGE_ENABLED)).isTrue();
        assertThat(config.get(MigrationOptions.DDL_ENABLED)).isFalse();
        assertThat(config.get(MigrationOptions.SNAPSHOT_PARTITION_STRATEGY))
                .isEqualTo(PartitionStrategy.COUNT);
        assertThat(config.get(MigrationOptions.SNAPSHOT_PARTITION_SIZE)).isEqualTo(500_000L);
        assertThat(config.get(MigrationOptions.SNAPSHOT_PARTITION_COUNT)).isEqualTo(100);
        assertThat(config.get(MigrationOptions.SNAPSHOT_READERS)).isEqualTo(8);
        assertThat(config.get(MigrationOptions.SNAPSHOT_BATCH_READ_LIMIT)).isEqualTo(3000);
        assertThat(config.get(MigrationOptions.SNAPSHOT_FETCH_SIZE)).isEqualTo(100);
        assertThat(config.get(MigrationOptions.SNAPSHOT_NO_CURSOR_TIMEOUT)).isFalse();
        assertThat(config.get(MigrationOptions.TARGET_EXISTING_DATA))
                .isEqualTo(ExistingDataPolicy.KEEP);
        assertThat(config.get(MigrationOptions.TARGET_WRITERS)).isEqualTo(8);
        assertThat(config.collectionRegex()).isEqualTo(".*");
        assertThat(config.selectsByList()).isFalse();
    }

    @Test
    void durableWritesAndMajorityReadsByDefault() {
        MigrationConfig config = load();
        assertThat(config.targetWriteConcern()).isEqualTo(WriteConcern.MAJORITY.withJournal(true));
        assertThat(config.get(MigrationOptions.SOURCE_READ_CONCERN))
                .isEqualTo(SnapshotReadConcern.MAJORITY);
        assertThat(config.get(MigrationOptions.TARGET_TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.get(MigrationOptions.SOURCE_TIMEOUT)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void writeConcernIsMajorityOrANumberOfMembersAlwaysJournaled() {
        assertThat(load("target.write-concern=2").targetWriteConcern())
                .isEqualTo(new WriteConcern(2).withJournal(true));
        assertThat(load("target.write-concern=1").targetWriteConcern())
                .isEqualTo(WriteConcern.W1.withJournal(true));
        assertThat(load("target.write-concern=MAJORITY").targetWriteConcern())
                .isEqualTo(WriteConcern.MAJORITY.withJournal(true));
        assertThatThrownBy(() -> load("target.write-concern=0"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("Invalid value '0' for option 'target.write-concern'")
                .hasMessageContaining("at least 1")
                .hasMessageContaining("unacknowledged");
        assertThatThrownBy(() -> load("target.write-concern=majorty"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("Invalid value 'majorty' for option 'target.write-concern'")
                .hasMessageContaining("majority, or the number of replica-set members");
    }

    @Test
    void readConcernIsMajorityLocalOrAvailable() {
        assertThat(load("source.read-concern=local").get(MigrationOptions.SOURCE_READ_CONCERN))
                .isEqualTo(SnapshotReadConcern.LOCAL);
        assertThatThrownBy(() -> load("source.read-concern=snapshot"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'snapshot'")
                .hasMessageContaining("source.read-concern")
                .hasMessageContaining("majority, local, available");
    }

    @Test
    void unknownKeySuggestsTheClosestOption() {
        assertThatThrownBy(() -> load("snapshot.reader=4"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("Unknown option 'snapshot.reader'")
                .hasMessageContaining("Did you mean 'snapshot.readers'?");
    }

    @Test
    void badEnumValueNamesKeyValueAndAllowedValues() {
        assertThatThrownBy(() -> load("snapshot.partition.strategy=sample"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'sample'")
                .hasMessageContaining("snapshot.partition.strategy")
                .hasMessageContaining("count")
                .hasMessageContaining("min-max");
        assertThatThrownBy(() -> load("sync.type=everything"))
                .hasMessageContaining("full, incremental, full+incremental");
        assertThatThrownBy(() -> load("cdc.buffer-timeout=-5 ms"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("cdc.buffer-timeout")
                .hasMessageContaining("a duration such as");
    }

    @Test
    void badNumbersAndRangesAreRejected() {
        assertThatThrownBy(() -> load("snapshot.readers=many"))
                .hasMessageContaining("'many'")
                .hasMessageContaining("snapshot.readers")
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> load("snapshot.readers=0"))
                .hasMessageContaining("snapshot.readers")
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> load("target.batch-max-wait-ms=0"))
                .hasMessageContaining("-1 to turn the timer off");
        assertThatThrownBy(() -> load("checkpoint.interval=soon"))
                .hasMessageContaining("checkpoint.interval")
                .hasMessageContaining("duration");
    }

    @Test
    void parallelismAboveTheMaxParallelismNamesOptionValueAndLimit() {
        assertThat(load("snapshot.readers=128").maxParallelism()).isEqualTo(128);
        for (String option : List.of("snapshot.readers", "target.writers", "cdc.readers")) {
            assertThatThrownBy(() -> load(option + "=200"))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageStartingWith(
                            "Invalid value '200' for option '" + option + "': expected at most 128")
                    .hasMessageContaining("flink.pipeline.max-parallelism");
        }
        assertThat(
                        load("snapshot.readers=200", "flink.pipeline.max-parallelism=256")
                                .maxParallelism())
                .isEqualTo(256);
        assertThatThrownBy(() -> load("target.writers=300", "flink.pipeline.max-parallelism=256"))
                .hasMessage(
                        "Invalid value '300' for option 'target.writers': expected at most 256, the job's max"
                                + " parallelism (set by flink.pipeline.max-parallelism).");
        assertThat(load("cdc.readers=1000", "flink.pipeline.max-parallelism=-1").maxParallelism())
                .isEqualTo(32768);
        assertThatThrownBy(() -> load("flink.pipeline.max-parallelism=lots"))
                .hasMessageContaining("'lots' for option 'flink.pipeline.max-parallelism'")
                .hasMessageContaining("from 1 to 32768, or -1");
    }

    @Test
    void missingRequiredOptionSaysHowToSetIt() {
        assertThatThrownBy(
                        () ->
                                JobConfigLoader.load(
                                        null,
                                        Arrays.asList(
                                                "source.uri=mongodb://a", "source.database=x")))
                .hasMessageContaining("Missing option 'target.uri'")
                .hasMessageContaining("--set target.uri=");
    }

    @Test
    void listAndRegexAreExclusiveAndRegexMustCompile() {
        assertThatThrownBy(() -> load("source.collections=a;b", "source.collection-regex=a.*"))
                .hasMessageContaining("either source.collections or source.collection-regex");
        assertThatThrownBy(() -> load("source.collection-regex=orders["))
                .hasMessageContaining("not a regular expression");
    }

    @Test
    void passwordsNeverAppearInErrorsOrMaskedOptions() {
        MigrationConfig config =
                load("source.uri=mongodb://admin:s3cret@host:27017/?authSource=admin");
        assertThat(config.maskedOptions().toString())
                .doesNotContain("s3cret")
                .contains("admin:****@");
        assertThat(config.sourceConnection().toString()).doesNotContain("s3cret");
        assertThatThrownBy(() -> load("source.uri=mongodb://admin:s3cret@host:notaport"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("source.uri")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
    }

    @Test
    void aStartAtInTheFutureIsRefusedUnlessThatIsTheIntent() {
        String inAnHour =
                "cdc.start-at=" + java.time.Instant.now().plusSeconds(3600).getEpochSecond();
        assertThatThrownBy(() -> load("sync.type=incremental", inAnHour))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith(
                        "Invalid value '"
                                + inAnHour.substring("cdc.start-at=".length())
                                + "' for option 'cdc.start-at': expected a time that has passed")
                .hasMessageContaining("is after this machine's clock")
                .hasMessageContaining("by more than the 5 s taken as clock skew")
                .hasMessageContaining("would skip every change made until then")
                .hasMessageContaining(
                        "set cdc.start-at-future-ok=true to skip the changes until then on purpose");
        assertThat(
                        load("sync.type=incremental", inAnHour, "cdc.start-at-future-ok=true")
                                .cdcStartAt())
                .isAfter(java.time.Instant.now());
        // Within the clock skew, and in the past: accepted.
        String inTwoSeconds =
                "cdc.start-at=" + java.time.Instant.now().plusSeconds(2).getEpochSecond();
        assertThat(load("sync.type=incremental", inTwoSeconds).cdcStartAt()).isNotNull();
        assertThat(load("sync.type=incremental", "cdc.start-at=2026-11-26T08:00:00Z").cdcStartAt())
                .isNotNull();
        // The permission means nothing without a start-at.
        assertThatThrownBy(() -> load("sync.type=incremental", "cdc.start-at-future-ok=true"))
                .hasMessageContaining(
                        "cdc.start-at-future-ok=true has no effect without cdc.start-at");
    }

    @Test
    void combinationsThatWouldBeSubtlyWrongAreRefused() {
        assertThatThrownBy(() -> load("merge.enabled=false"))
                .hasMessageContaining("merge.enabled=false needs sync.type=full");
        assertThat(
                        load("merge.enabled=false", "sync.type=full")
                                .get(MigrationOptions.MERGE_ENABLED))
                .isFalse();
        assertThatThrownBy(() -> load("cdc.full-document=false"))
                .hasMessageContaining("partial updates");
        assertThatThrownBy(() -> load("write.mode=append-only", "write.keep-deleted=true"))
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> load("write.keep-deleted=true", "write.delete=ignore"))
                .hasMessageContaining("write.delete=ignore");
        assertThatThrownBy(() -> load("cdc.start-at=2026-11-26T08:00:00Z"))
                .hasMessageContaining("sync.type=incremental only");
        assertThatThrownBy(() -> load("sync.type=incremental", "cdc.start-at=yesterday"))
                .hasMessageContaining("cdc.start-at")
                .hasMessageContaining("ISO-8601");
        assertThat(
                        load("sync.type=incremental", "cdc.start-at=1795686064")
                                .cdcStartAt()
                                .getEpochSecond())
                .isEqualTo(1795686064L);
        assertThatThrownBy(
                        () -> load("sync.type=incremental", "cdc.resume-token={\"_data\": \"82\"}"))
                .hasMessageContaining("exactly one collection");
        assertThatThrownBy(() -> load("ddl.enabled=true"))
                .hasMessageContaining("ddl.enabled=true needs target.writers=1");
        assertThat(load("ddl.enabled=true", "target.writers=1").get(MigrationOptions.DDL_ENABLED))
                .isTrue();
        assertThat(load("write.insert=ignore-existing").writePolicy().toString())
                .contains("insert=ignore-existing");
    }

    @Test
    void missingJobFileIsAClearError() {
        assertThatThrownBy(() -> JobConfigLoader.load(dir.resolve("nope.yaml"), REQUIRED))
                .hasMessageContaining("Job file not found");
    }

    @Test
    void malformedSetIsAClearError() {
        assertThatThrownBy(() -> JobConfigLoader.load(null, Collections.singletonList("readers")))
                .hasMessageContaining("--set expects key=value");
    }

    private MigrationConfig load(String... extra) {
        List<String> all = new java.util.ArrayList<>(REQUIRED);
        all.addAll(Arrays.asList(extra));
        return JobConfigLoader.load(null, all);
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
