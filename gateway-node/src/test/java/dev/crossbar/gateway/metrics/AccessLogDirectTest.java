package dev.crossbar.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.FilterReply;
import dev.crossbar.gateway.proxy.RequestRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;

/**
 * The access log's lines go straight into its batching appender when that appender is all the logger has, as the
 * same bytes logback's event would have made; anything else that could see the events keeps them going through
 * logback.
 */
class AccessLogDirectTest {

    private static final List<RequestRecord> RECORDS = List.of(
            AccessLogTest.record("gpt-4o", 200, "success"),
            AccessLogTest.record("my model=\"x\" ünï \uD83D\uDE00", 404, "client_error"),
            AccessLogTest.record("m", 502, "upstream_error"));

    /** A logger like logback.xml's {@code crossbar.access}, writing into {@code target}. */
    private static Logger accessLogger(ByteArrayOutputStream target, boolean timestamped) {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        AccessLineEncoder encoder = new AccessLineEncoder();
        encoder.setContext(context);
        encoder.setTimestamped(timestamped);
        encoder.start();
        BufferedStdoutAppender<ILoggingEvent> appender =
                new BufferedStdoutAppender<>(target, BufferedStdoutAppender.BATCH_BYTES);
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.start();
        Logger logger = context.getLogger(AccessLog.LOGGER);
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
        logger.addAppender(appender);
        return logger;
    }

    private static String written(Logger logger, ByteArrayOutputStream target, boolean json) {
        AccessLog log = new AccessLog(logger, json);
        for (RequestRecord r : RECORDS) {
            log.completed(r);
        }
        logger.getLoggerContext().stop();
        return target.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldWriteTheBytesLogbacksEventWouldHaveMade() {
        for (boolean json : List.of(false, true)) {
            ByteArrayOutputStream straight = new ByteArrayOutputStream();
            Logger direct = accessLogger(straight, !json);
            assertNotNull(AccessLog.soleAppender(direct), "the batching appender is all the logger has");
            ByteArrayOutputStream logged = new ByteArrayOutputStream();
            Logger throughLogback = accessLogger(logged, !json);
            Neutral neutral = new Neutral();
            neutral.start();
            throughLogback.getLoggerContext().addTurboFilter(neutral);
            assertNull(AccessLog.soleAppender(throughLogback), "a turbo filter sees every event");

            String expected = withoutClock(written(throughLogback, logged, json));
            assertEquals(3, expected.lines().count(), expected);
            assertEquals(expected, withoutClock(written(direct, straight, json)));
        }
    }

    @Test
    void shouldLeaveTheLineToLogbackWhenAFilterMayRefuseIt() {
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        Logger logger = accessLogger(target, true);
        assertNotNull(AccessLog.soleAppender(logger));
        appenderOf(logger).addFilter(new Filter<>() {
            @Override
            public FilterReply decide(ILoggingEvent event) {
                return FilterReply.DENY;
            }
        });
        assertNull(AccessLog.soleAppender(logger));
        assertEquals("", written(logger, target, false), "the filter refused every line");
    }

    @Test
    void shouldLeaveTheLineToLogbackWhenAnotherAppenderOrTheRootSeesIt() {
        Logger additive = accessLogger(new ByteArrayOutputStream(), true);
        additive.setAdditive(true);
        assertNull(AccessLog.soleAppender(additive));

        ByteArrayOutputStream target = new ByteArrayOutputStream();
        Logger twoAppenders = accessLogger(target, true);
        ListAppender<ILoggingEvent> list = new ListAppender<>();
        list.setContext(twoAppenders.getLoggerContext());
        list.start();
        twoAppenders.addAppender(list);
        assertNull(AccessLog.soleAppender(twoAppenders));
        written(twoAppenders, target, false);
        assertEquals(3, list.list.size(), "the second appender had every line");
        assertEquals(3, target.toString(StandardCharsets.UTF_8).lines().count());
    }

    @Test
    void shouldHandLinesToAnAppenderOrFilterAddedAfterTheLogWasMade() {
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        Logger logger = accessLogger(target, true);
        AccessLog log = new AccessLog(logger, false);
        log.completed(RECORDS.get(0)); // straight into the batch

        ListAppender<ILoggingEvent> list = new ListAppender<>();
        list.setContext(logger.getLoggerContext());
        list.start();
        logger.addAppender(list);
        log.completed(RECORDS.get(1));
        assertEquals(1, list.list.size(), "the appender added later had the line that followed");

        logger.detachAppender(list);
        appenderOf(logger).addFilter(new Filter<>() {
            @Override
            public FilterReply decide(ILoggingEvent event) {
                return FilterReply.DENY;
            }
        });
        log.completed(RECORDS.get(2));
        logger.getLoggerContext().stop();
        assertEquals(
                2,
                target.toString(StandardCharsets.UTF_8).lines().count(),
                "the filter added later refused the last line");
    }

    @SuppressWarnings("unchecked")
    private static BufferedStdoutAppender<ILoggingEvent> appenderOf(Logger logger) {
        return (BufferedStdoutAppender<ILoggingEvent>)
                logger.iteratorForAppenders().next();
    }

    /** The lines without their time ({@code HH:mm:ss.SSS}, or JSON's {@code ts}): runs span milliseconds. */
    private static String withoutClock(String lines) {
        return lines.replaceAll("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d ", "").replaceAll("\"ts\":\"[^\"]*\"", "");
    }

    /** A turbo filter with no opinion: logback still builds an event for it to see. */
    private static final class Neutral extends TurboFilter {
        @Override
        public FilterReply decide(
                Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
            return FilterReply.NEUTRAL;
        }
    }
}
