package dev.crossbar.gateway.metrics;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AsyncAppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Switches the process's console logging to JSON lines ({@code node.jsonLogs: true}): every appender
 * of logback.xml gets logback's {@link JsonEncoder}, except the access log's, whose lines
 * {@link AccessLog} already writes as JSON objects. Process-wide, like the logging itself.
 */
public final class JsonLogs {

    /** The appender the access log writes to in logback.xml. */
    public static final String ACCESS_APPENDER = "ACCESS_CONSOLE";

    private static boolean installed;

    private JsonLogs() {}

    /** Returns the number of appenders switched (0 when logback is not the SLF4J backend). */
    public static synchronized int install() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (installed || !(factory instanceof LoggerContext context)) {
            return 0;
        }
        installed = true;
        return install(context);
    }

    static int install(LoggerContext context) {
        IdentityHashMap<Appender<ILoggingEvent>, Boolean> seen = new IdentityHashMap<>();
        List<OutputStreamAppender<ILoggingEvent>> targets = new ArrayList<>();
        for (Logger logger : context.getLoggerList()) {
            collect(logger.iteratorForAppenders(), seen, targets);
        }
        for (OutputStreamAppender<ILoggingEvent> appender : targets) {
            Encoder<ILoggingEvent> encoder =
                    ACCESS_APPENDER.equals(appender.getName()) ? messageOnly(context) : json(context);
            // Swapped in place: stopping a console appender would close the stream it writes to.
            encoder.start();
            appender.setEncoder(encoder);
        }
        return targets.size();
    }

    private static void collect(
            Iterator<Appender<ILoggingEvent>> appenders,
            IdentityHashMap<Appender<ILoggingEvent>, Boolean> seen,
            List<OutputStreamAppender<ILoggingEvent>> targets) {
        while (appenders.hasNext()) {
            Appender<ILoggingEvent> a = appenders.next();
            if (seen.put(a, Boolean.TRUE) != null) {
                continue;
            }
            if (a instanceof AsyncAppenderBase<ILoggingEvent> async) {
                collect(async.iteratorForAppenders(), seen, targets);
            } else if (a instanceof OutputStreamAppender<ILoggingEvent> out) {
                targets.add(out);
            }
        }
    }

    private static Encoder<ILoggingEvent> json(LoggerContext context) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithMDC(false);
        encoder.setWithArguments(false);
        encoder.setWithMessage(false);
        encoder.setWithFormattedMessage(true);
        return encoder;
    }

    /** What {@code %msg%n} writes. */
    private static Encoder<ILoggingEvent> messageOnly(LoggerContext context) {
        AccessLineEncoder encoder = new AccessLineEncoder();
        encoder.setContext(context);
        encoder.setTimestamped(false);
        return encoder;
    }
}
