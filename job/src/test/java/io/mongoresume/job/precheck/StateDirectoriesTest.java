package io.mongoresume.job.precheck;

import io.mongoresume.job.config.InvalidConfigException;
import io.mongoresume.job.plan.MigrationPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateDirectoriesTest {

    @TempDir Path dir;

    @Test
    void localDirectoriesAreCreatedOtherFileSystemsPassUnchecked() {
        Path checkpoints = dir.resolve("state/checkpoints");
        StateDirectories.check(
                config(checkpoints.toUri().toString(), dir.resolve("state/savepoints").toString()));
        assertThat(checkpoints).isDirectory();
        assertThat(dir.resolve("state/savepoints")).isDirectory();
        assertThatCode(
                        () ->
                                StateDirectories.check(
                                        config(
                                                "s3://bucket/checkpoints",
                                                "hdfs:///flink/savepoints")))
                .doesNotThrowAnyException();
    }

    @Test
    void aFileInTheWayNamesTheOptionTheValueAndTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("afile"), "x");
        String checkpoints = "file://" + file + "/checkpoints";
        assertThatThrownBy(
                        () ->
                                StateDirectories.check(
                                        config(checkpoints, dir.resolve("sp").toString())))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage(
                        "Invalid value '"
                                + checkpoints
                                + "' for option 'checkpoint.dir': "
                                + file
                                + " is a file, not a directory.");
        assertThatThrownBy(
                        () ->
                                StateDirectories.check(
                                        config(dir.resolve("chk").toString(), file.toString())))
                .hasMessageContaining(
                        "for option 'savepoint.dir': " + file + " is a file, not a directory.");
    }

    private static MigrationPlan config(String checkpointDir, String savepointDir) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("source.uri", "mongodb://localhost:27017");
        raw.put("source.database", "shop");
        raw.put("target.uri", "mongodb://localhost:27018");
        raw.put("checkpoint.dir", checkpointDir);
        raw.put("savepoint.dir", savepointDir);
        return MigrationPlan.fromRaw(raw);
    }
}
