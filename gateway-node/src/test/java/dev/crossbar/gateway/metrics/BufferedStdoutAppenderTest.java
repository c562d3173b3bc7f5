package dev.crossbar.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The access log's stdout appender: lines arrive whole within the flush period; stopping never closes stdout. */
class BufferedStdoutAppenderTest {

    @Test
    void shouldFlushWholeLinesWithinThePeriodAndNeverCloseItsTarget() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        boolean[] closed = {false};
        ByteArrayOutputStream target = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        BufferedStdoutAppender<ILoggingEvent> appender = new BufferedStdoutAppender<>(target);
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.start();
        ch.qos.logback.classic.Logger logger = context.getLogger("crossbar.access.test");
        logger.addAppender(appender);
        logger.info("line one");
        logger.info("line two");
        assertEquals("", target.toString(StandardCharsets.UTF_8), "buffered, not written per line");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (target.size() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("line one\nline two\n", target.toString(StandardCharsets.UTF_8));
        logger.info("line three");
        appender.stop();
        assertEquals("line one\nline two\nline three\n", target.toString(StandardCharsets.UTF_8), "flushed on stop");
        assertFalse(closed[0], "standard output stays open");
        assertEquals(
                0,
                context.getStatusManager().getCopyOfStatusList().stream()
                        .filter(st -> st.getLevel() >= 2)
                        .count(),
                "no errors: " + context.getStatusManager().getCopyOfStatusList());
    }

    @Test
    void shouldWriteTheAccessEncodersLinesFromItsBuffer() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        AccessLineEncoder encoder = new AccessLineEncoder();
        encoder.setContext(context);
        encoder.setTimestamped(false);
        encoder.start();
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        BufferedStdoutAppender<ILoggingEvent> appender = new BufferedStdoutAppender<>(target);
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.start();
        ch.qos.logback.classic.Logger logger = context.getLogger("crossbar.access.test");
        logger.addAppender(appender);
        logger.info("line one é");
        logger.info("x".repeat(5000));
        appender.stop();
        assertEquals("line one é\n" + "x".repeat(5000) + "\n", target.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldConfigureTheAccessLogOfLogbackXmlWithTheAccessEncoder() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(BufferedStdoutAppenderTest.class.getResource("/logback.xml"));
        AsyncAppender async =
                (AsyncAppender) context.getLogger(AccessLog.LOGGER).getAppender("ACCESS");
        BufferedStdoutAppender<?> console = (BufferedStdoutAppender<?>) async.getAppender(JsonLogs.ACCESS_APPENDER);
        assertTrue(console.getEncoder() instanceof AccessLineEncoder encoder && encoder.isStarted());
        assertEquals(
                0,
                context.getStatusManager().getCopyOfStatusList().stream()
                        .filter(st -> st.getLevel() >= 1)
                        .count(),
                "no warnings: " + context.getStatusManager().getCopyOfStatusList());
        context.stop();
    }
}
