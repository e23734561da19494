package io.mongoresume.job.testutils;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;

/**
 * One in-process run of a picocli command, as the CLI would run it: its exit code and what it
 * printed.
 */
public record CommandRun(int exit, String out, String err) {

    public static CommandRun of(Object command, String... args) {
        return of(command, new StringWriter(), args);
    }

    /** With standard error going to {@code err}, which a test may read while the command runs. */
    public static CommandRun of(Object command, Writer err, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new CommandRun(exit, out.toString(), err.toString());
    }
}
