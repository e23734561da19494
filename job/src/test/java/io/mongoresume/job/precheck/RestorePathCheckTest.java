package io.mongoresume.job.precheck;

import io.mongoresume.job.config.InvalidConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestorePathCheckTest {

    @TempDir Path dir;

    @Test
    void completeSavepointsCheckpointsAndMetadataFilesPass() throws IOException {
        Path savepoint = complete(dir.resolve("savepoints/savepoint-abcdef-0123"), 0);
        assertThatCode(() -> RestorePathCheck.check(savepoint.toString()))
                .doesNotThrowAnyException();
        assertThatCode(() -> RestorePathCheck.check("file:" + savepoint))
                .doesNotThrowAnyException();
        assertThatCode(() -> RestorePathCheck.check(savepoint.toUri().toString()))
                .doesNotThrowAnyException();
        assertThatCode(() -> RestorePathCheck.check(savepoint.resolve("_metadata").toString()))
                .doesNotThrowAnyException();
        assertThatCode(() -> RestorePathCheck.check("s3://bucket/savepoints/savepoint-1"))
                .doesNotThrowAnyException();
    }

    @Test
    void aMissingPathSaysSoAndNamesTheNewestCompleteOneNextToIt() throws IOException {
        complete(dir.resolve("savepoints/savepoint-abcdef-0001"), 10);
        Path newest = complete(dir.resolve("savepoints/savepoint-abcdef-0002"), 20);
        String missing = dir.resolve("savepoints/savepoint-abcdef-0003").toString();
        assertThatThrownBy(() -> RestorePathCheck.check(missing))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage(
                        "--from-savepoint "
                                + missing
                                + " does not exist. The newest complete savepoint"
                                + " there: file:"
                                + newest);
        assertThatThrownBy(() -> RestorePathCheck.check(dir.resolve("elsewhere/sp").toString()))
                .hasMessageContaining(
                        "does not exist. Give the path printed after 'Stopped with a savepoint at'");
    }

    @Test
    void aCheckpointStillBeingWrittenPointsAtTheNewestCompleteOneOfItsJob() throws IOException {
        Path job = dir.resolve("checkpoints/4f1c0e1e0c3a4f5d9f2b7a6c5d4e3f21");
        Path complete = complete(job.resolve("chk-11"), 10);
        Files.createDirectories(job.resolve("shared"));
        Path writing = Files.createDirectories(job.resolve("chk-12"));
        assertThatThrownBy(() -> RestorePathCheck.check(writing.toString()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage(
                        "--from-savepoint "
                                + writing
                                + " is a checkpoint still being written, or left"
                                + " unfinished (no _metadata). The newest complete checkpoint there: file:"
                                + complete);
    }

    @Test
    void aDirectoryWithoutMetadataNamesTheNewestCompleteOneInsideIt() throws IOException {
        Path checkpoints = dir.resolve("checkpoints");
        Path complete = complete(checkpoints.resolve("job-a/chk-3"), 10);
        assertThatThrownBy(() -> RestorePathCheck.check(checkpoints.toString()))
                .hasMessage(
                        "--from-savepoint "
                                + checkpoints
                                + " holds no _metadata, so it is no savepoint or"
                                + " checkpoint. The newest complete checkpoint there: file:"
                                + complete);
    }

    private static Path complete(Path restorePoint, int second) throws IOException {
        Files.createDirectories(restorePoint);
        Path metadata = Files.write(restorePoint.resolve("_metadata"), new byte[] {1});
        Files.setLastModifiedTime(
                metadata, FileTime.from(Instant.ofEpochSecond(1_800_000_000L + second)));
        return restorePoint;
    }
}
