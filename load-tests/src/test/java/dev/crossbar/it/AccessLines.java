package dev.crossbar.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/** The access log lines of in-process nodes while it is open ({@code crossbar.access}, text form). */
final class AccessLines implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("crossbar.access");
    private final Level levelBefore = logger.getLevel();
    private final boolean additiveBefore = logger.isAdditive();

    private AccessLines() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
    }

    static AccessLines capture() {
        return new AccessLines();
    }

    List<String> lines() {
        List<String> out = new ArrayList<>();
        synchronized (appender) {
            for (ILoggingEvent e : List.copyOf(appender.list)) {
                out.add(e.getFormattedMessage());
            }
        }
        return out;
    }

    /** Lines that contain every one of {@code words}. */
    List<String> with(String... words) {
        List<String> out = new ArrayList<>();
        for (String line : lines()) {
            boolean all = true;
            for (String w : words) {
                all &= line.contains(w);
            }
            if (all) {
                out.add(line);
            }
        }
        return out;
    }

    /** A numeric field of a line ({@code queue_ms=12.3}), or -1 when absent. */
    static double field(String line, String name) {
        Matcher m = Pattern.compile("\\b" + Pattern.quote(name) + "=([0-9.]+)").matcher(line);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(levelBefore);
        logger.setAdditive(additiveBefore);
    }
}
