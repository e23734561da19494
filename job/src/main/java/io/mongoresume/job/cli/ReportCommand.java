package io.mongoresume.job.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * A command that prints a report ({@code status}, {@code verify}, {@code precheck}): it writes to
 * the streams of the picocli command line that runs it, which tests replace, and its exit code is
 * what {@link #run} returns.
 */
public abstract class ReportCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        return run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Runs the command on the command line's standard output and error; returns the exit code. */
    protected abstract int run(PrintWriter out, PrintWriter err) throws Exception;
}
