package io.mongoresume.job.cli;

import picocli.CommandLine.Command;

/**
 * The exit codes of a migration run on a local cluster ({@code run}, {@code demo}) for their {@code
 * --help}. Commands take it as a picocli {@code @Mixin}: a mixin's {@code @Command} attributes
 * become the command's, so both list the same codes under the same heading.
 */
@Command(
        exitCodeListHeading = MongoResumeCli.EXIT_CODES_HEADING,
        exitCodeList = {
            MongoResumeCli.EXIT_FINISHED_HELP,
            MongoResumeCli.EXIT_STOPPED_HELP,
            MongoResumeCli.EXIT_JOB_FAILED_HELP,
            MongoResumeCli.EXIT_BAD_INPUT_HELP
        })
final class LocalRunExitCodes {}
