package io.mongoresume.job.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

class CliHelpTest {

    @Test
    void runAndDemoHelpListTheExitCodes() {
        CommandLine cli = new CommandLine(new MongoResumeCli());
        for (String command : new String[] {"run", "demo"}) {
            String help =
                    cli.getSubcommands().get(command).getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertThat(help)
                    .as(command + " --help")
                    .contains("Exit codes:")
                    .containsPattern("\\n +0 +finished")
                    .containsPattern("\\n +1 +the job failed")
                    .containsPattern("\\n +2 +bad options or input, nothing was written")
                    .containsPattern("\\n +3 +stopped with a savepoint");
        }
    }
}
