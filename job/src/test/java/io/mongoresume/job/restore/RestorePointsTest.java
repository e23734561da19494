package io.mongoresume.job.restore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The directory layout Flink 1.20 leaves behind, laid out by hand with chosen completion times. */
class RestorePointsTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir Path dir;

    @Test
    void newestCompleteCheckpointAcrossJobsAndTheNewerOfCheckpointAndSavepoint()
            throws IOException {
        Path checkpoints = dir.resolve("checkpoints");
        Path savepoints = dir.resolve("savepoints");
        complete(checkpoints.resolve("job-a/chk-40"), T0.plusSeconds(10));
        complete(checkpoints.resolve("job-b/chk-3"), T0.plusSeconds(50));
        Files.createDirectories(checkpoints.resolve("job-b/chk-4"));
        Files.createDirectories(checkpoints.resolve("job-b/shared/abc"));
        complete(savepoints.resolve("savepoint-aaaaaa-1"), T0.plusSeconds(30));
        Files.createDirectories(savepoints.resolve("savepoint-bbbbbb-2"));

        RestorePoints.Retained retained = RestorePoints.scan(checkpoints, savepoints);

        assertThat(retained.checkpoint().orElseThrow().directory())
                .isEqualTo(checkpoints.resolve("job-b/chk-3"));
        assertThat(retained.checkpoint().orElseThrow().name()).isEqualTo("chk-3 of job job-b");
        assertThat(retained.savepoint().orElseThrow().directory())
                .isEqualTo(savepoints.resolve("savepoint-aaaaaa-1"));
        assertThat(retained.newest().orElseThrow().kind()).isEqualTo(RestorePoint.Kind.CHECKPOINT);
        assertThat(retained.incomplete())
                .containsExactly(
                        checkpoints.resolve("job-b/chk-4"),
                        savepoints.resolve("savepoint-bbbbbb-2"));

        complete(savepoints.resolve("savepoint-cccccc-3"), T0.plusSeconds(90));
        assertThat(RestorePoints.scan(checkpoints, savepoints).newest().orElseThrow().directory())
                .isEqualTo(savepoints.resolve("savepoint-cccccc-3"));
    }

    @Test
    void missingOrUnknownDirectoriesHoldNothing() {
        RestorePoints.Retained retained = RestorePoints.scan(dir.resolve("nope"), null);
        assertThat(retained.checkpoint()).isEmpty();
        assertThat(retained.savepoint()).isEmpty();
        assertThat(retained.newest()).isEmpty();
        assertThat(RestorePoints.newestIn(dir.resolve("nope"))).isEmpty();
    }

    @Test
    void newestInLooksInTheDirectoryAndOneLevelBelow() throws IOException {
        complete(dir.resolve("job-a/chk-9"), T0);
        complete(dir.resolve("job-a/chk-10"), T0);
        assertThat(RestorePoints.newestIn(dir).orElseThrow().directory())
                .isEqualTo(dir.resolve("job-a/chk-10"));
        assertThat(RestorePoints.newestIn(dir.resolve("job-a")).orElseThrow().pointer())
                .isEqualTo("file:" + dir.resolve("job-a/chk-10"));
    }

    static void complete(Path restorePoint, Instant at) throws IOException {
        Files.createDirectories(restorePoint);
        Path metadata = Files.write(restorePoint.resolve(RestorePoints.METADATA), new byte[] {1});
        Files.setLastModifiedTime(metadata, FileTime.from(at));
    }
}
