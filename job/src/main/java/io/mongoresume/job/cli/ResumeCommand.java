package io.mongoresume.job.cli;

import io.mongoresume.connectors.common.config.MongoConnectionOptions;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** Builds the command line a user pastes to resume from a savepoint. Never prints a password. */
public final class ResumeCommand {

    private ResumeCommand() {}

    /**
     * {@code java -jar <this jar>}, with the jar's path relative to the working directory when
     * possible.
     */
    static String javaJar() {
        try {
            Path location =
                    Paths.get(
                            MongoResumeCli.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            if (location.toString().endsWith(".jar")) {
                Path cwd = Paths.get("").toAbsolutePath();
                Path shown = location.startsWith(cwd) ? cwd.relativize(location) : location;
                return "java -jar " + quote(shown.toString());
            }
        } catch (URISyntaxException | SecurityException e) {
            // fall through to the documented path
        }
        return "java -jar job" + File.separator + "target" + File.separator + "mongo-resume.jar";
    }

    public static String build(String subcommand, List<String> args) {
        List<String> parts = new ArrayList<>();
        parts.add(javaJar());
        parts.add(subcommand);
        for (String arg : args) {
            parts.add(quote(MongoConnectionOptions.mask(arg)));
        }
        return String.join(" ", parts);
    }

    static String quote(String s) {
        if (s.matches("[A-Za-z0-9_@%+=:,./*-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
