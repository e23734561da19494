package io.mongoresume.job.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.assertj.core.api.Assertions.assertThat;

/** README's option table must be exactly what the option declarations say. */
class ReadmeOptionsTest {

    @Test
    void readmeListsEveryOptionWithItsDefault() throws IOException {
        Path readme = Paths.get("..", "README.md");
        String text = Files.readString(readme);
        int begin = text.indexOf(OptionsTable.BEGIN);
        int end = text.indexOf(OptionsTable.END);
        assertThat(begin).as("README.md has the options markers").isGreaterThanOrEqualTo(0);
        assertThat(end).isGreaterThan(begin);
        String table = text.substring(begin + OptionsTable.BEGIN.length(), end).strip() + "\n";
        assertThat(table)
                .as("README option table (regenerate: OptionsTable.main) ")
                .isEqualTo(OptionsTable.markdown());
    }
}
