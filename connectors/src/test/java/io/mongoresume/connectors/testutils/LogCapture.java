package io.mongoresume.connectors.testutils;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Records what one logger logs while it is open, with the (monotonic) time each line was logged.
 */
public final class LogCapture implements AutoCloseable {

    /** One logged line. */
    public static final class Line {
        public final Level level;
        public final String message;
        public final long nanoTime;

        Line(Level level, String message, long nanoTime) {
            this.level = level;
            this.message = message;
            this.nanoTime = nanoTime;
        }

        @Override
        public String toString() {
            return level + " " + message;
        }
    }

    private final Logger logger;
    private final AbstractAppender appender;
    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private LogCapture(String loggerName) {
        this.logger = (Logger) LogManager.getLogger(loggerName);
        this.appender =
                new AbstractAppender(
                        "capture-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
                    @Override
                    public void append(LogEvent event) {
                        lines.add(
                                new Line(
                                        event.getLevel(),
                                        event.getMessage().getFormattedMessage(),
                                        System.nanoTime()));
                    }
                };
        appender.start();
        logger.addAppender(appender);
    }

    /** Starts recording what {@code source}'s logger logs. */
    public static LogCapture of(Class<?> source) {
        return new LogCapture(source.getName());
    }

    /** Starts recording what the named logger logs (e.g. a class another package cannot see). */
    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    /** The lines of a level so far, in order. */
    public List<Line> lines(Level level) {
        return lines.stream().filter(l -> l.level == level).collect(Collectors.toList());
    }

    @Override
    public void close() {
        logger.removeAppender(appender);
        appender.stop();
    }
}
