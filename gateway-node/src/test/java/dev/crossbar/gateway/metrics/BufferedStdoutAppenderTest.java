package dev.crossbar.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The access log's stdout appender: lines arrive whole within the flush period, in batches; a caller never waits for
 * output (lines are dropped and counted when it stalls); stopping writes everything out and never closes stdout.
 */
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
        BufferedStdoutAppender<ILoggingEvent> appender =
                new BufferedStdoutAppender<>(target, BufferedStdoutAppender.BATCH_BYTES);
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
        BufferedStdoutAppender<ILoggingEvent> appender =
                new BufferedStdoutAppender<>(target, BufferedStdoutAppender.BATCH_BYTES);
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
    void shouldWriteManyLinesInAFewBatchesWholeAndInEachThreadsOrder() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        CountingTarget target = new CountingTarget();
        BufferedStdoutAppender<ILoggingEvent> appender = accessAppender(context, target, 64 * 1024);
        ch.qos.logback.classic.Logger logger = context.getLogger("crossbar.access.test");
        logger.addAppender(appender);
        int threads = 4;
        int lines = 2_000;
        Thread[] loggers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            loggers[t] = new Thread(() -> {
                for (int i = 0; i < lines; i++) {
                    logger.info("thread=" + id + " line=" + i + " " + "x".repeat(i % 97));
                }
            });
            loggers[t].start();
        }
        for (Thread t : loggers) {
            t.join();
        }
        appender.stop();
        String[] written = target.text().split("\n", -1);
        assertEquals("", written[written.length - 1], "ends with a whole line");
        int[] next = new int[threads];
        for (int k = 0; k < written.length - 1; k++) {
            String[] words = written[k].split(" ", -1);
            int id = Integer.parseInt(words[0].substring("thread=".length()));
            int line = Integer.parseInt(words[1].substring("line=".length()));
            assertTrue(line >= next[id], "thread " + id + "'s lines in order: " + line + " after " + next[id]);
            assertEquals("x".repeat(line % 97), words[2], "whole line " + written[k]);
            next[id] = line + 1;
        }
        assertEquals((long) threads * lines, written.length - 1 + appender.dropped(), "every line written or counted");
        assertTrue(
                target.writes < (threads * lines) / 20,
                "written in batches, not per line: " + target.writes + " writes for " + (threads * lines) + " lines");
    }

    @Test
    void shouldNeverWaitForAStalledOutputAndDropWhatTwoBatchesCannotHold() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stalled = new CountDownLatch(1);
        CountingTarget target = new CountingTarget() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                stalled.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.write(b, off, len);
            }
        };
        BufferedStdoutAppender<ILoggingEvent> appender = accessAppender(context, target, 1024);
        ch.qos.logback.classic.Logger logger = context.getLogger("crossbar.access.test");
        logger.addAppender(appender);
        String line = "y".repeat(99); // 100 bytes with its line end: 10 to a batch
        for (int i = 0; i < 11; i++) {
            logger.info(line); // the eleventh hands the first batch to the writer, which stalls on it
        }
        assertTrue(stalled.await(5, TimeUnit.SECONDS), "the writer took the first batch");
        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            logger.info(line);
        }
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis < 2_000, "appending never waited for the stalled output: " + tookMillis + " ms");
        assertEquals(10_000 - 9, appender.dropped(), "the second batch took nine more lines; the rest were dropped");
        release.countDown();
        appender.stop();
        assertEquals((line + "\n").repeat(20), target.text(), "the two batches, whole, after the output came back");
        assertTrue(
                context.getStatusManager().getCopyOfStatusList().stream()
                        .anyMatch(st -> st.getMessage().startsWith("9991 access log lines dropped")),
                "the drop is reported: " + context.getStatusManager().getCopyOfStatusList());
    }

    @Test
    void shouldConfigureTheAccessLogOfLogbackXmlWithTheAccessEncoder() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(BufferedStdoutAppenderTest.class.getResource("/logback.xml"));
        BufferedStdoutAppender<?> console =
                (BufferedStdoutAppender<?>) context.getLogger(AccessLog.LOGGER).getAppender(JsonLogs.ACCESS_APPENDER);
        assertTrue(console.getEncoder() instanceof AccessLineEncoder encoder && encoder.isStarted());
        assertEquals(
                0,
                context.getStatusManager().getCopyOfStatusList().stream()
                        .filter(st -> st.getLevel() >= 1)
                        .count(),
                "no warnings: " + context.getStatusManager().getCopyOfStatusList());
        context.stop();
    }

    private static BufferedStdoutAppender<ILoggingEvent> accessAppender(
            LoggerContext context, OutputStream target, int batchBytes) {
        AccessLineEncoder encoder = new AccessLineEncoder();
        encoder.setContext(context);
        encoder.setTimestamped(false);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        BufferedStdoutAppender<ILoggingEvent> appender = new BufferedStdoutAppender<>(target, batchBytes);
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }

    /** Standard output's stand-in: what was written, and in how many calls. */
    private static class CountingTarget extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int writes;

        @Override
        public synchronized void write(int b) {
            writes++;
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes++;
            bytes.write(b, off, len);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
