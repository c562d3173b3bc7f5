package dev.crossbar.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * The access log's encoder writes exactly the bytes of logback's pattern encoder it replaced, for any message
 * (unpaired surrogates, characters of every UTF-8 length, lines longer than its buffer) at any time, and
 * allocates nothing per line once its buffer has grown.
 */
class AccessLineEncoderProperties {

    private static final String TIMESTAMPED = "%d{HH:mm:ss.SSS} ACCESS %msg%n";

    private final LoggerContext context = context();

    @Property(tries = 1000)
    void writesWhatThePatternWrites(
            @ForAll("messages") String message,
            @ForAll @LongRange(min = 0, max = 4_102_444_800_000L) long millis,
            @ForAll boolean timestamped,
            @ForAll boolean utf8) {
        Charset charset = utf8 ? StandardCharsets.UTF_8 : Charset.defaultCharset();
        ILoggingEvent event = event(message, millis);
        byte[] expected = pattern(timestamped ? TIMESTAMPED : "%msg%n", charset).encode(event);
        AccessLineEncoder encoder = encoder(timestamped, charset);
        assertArrayEquals(expected, encoder.encode(event), message);
        assertArrayEquals(expected, written(encoder, event), message);
        // and again from the same encoder, its clock and buffer reused
        assertArrayEquals(expected, written(encoder, event), message);
    }

    @Property(tries = 200)
    void keepsTheClockRightAcrossSecondsAndBackwards(
            @ForAll @LongRange(min = 0, max = 4_102_444_800_000L) long start, @ForAll("steps") long[] steps) {
        AccessLineEncoder encoder = encoder(true, StandardCharsets.UTF_8);
        PatternLayoutEncoder pattern = pattern(TIMESTAMPED, StandardCharsets.UTF_8);
        long t = start;
        for (long step : steps) {
            t = Math.max(0, t + step);
            ILoggingEvent event = event("req_1 openai-chat status=200", t);
            assertArrayEquals(pattern.encode(event), written(encoder, event), "at " + t);
        }
    }

    @Test
    void allocatesNothingPerLineOnceWarm() {
        AccessLineEncoder encoder = encoder(true, StandardCharsets.UTF_8);
        ILoggingEvent event = event(
                "req_3ac67e7b openai-chat status=200 outcome=success client=demo team=search model=demo-openai "
                        + "provider=mock-openai key=openai-2 fp=moc...ai-2 attempts=1 stream=false tokens_in=1210 "
                        + "tokens_out=46 cost_usd=0.000134100 latency_ms=32.0 upstream_ms=3.6 queue_ms=10.2 é€",
                1_765_000_000_123L);
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 100; i++) {
            write(encoder, event, out);
        }
        out.reset();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1000; i++) {
            write(encoder, event, out);
        }
        long perLine = (threads.getCurrentThreadAllocatedBytes() - before) / 1000;
        // the pattern encoder made about 1 KB a line of this length
        assertTrue(perLine < 16, perLine + " bytes a line");
    }

    @Provide
    Arbitrary<String> messages() {
        Arbitrary<String> ascii = Arbitraries.strings().ascii().ofMaxLength(400);
        Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(200);
        Arbitrary<String> mixed = Arbitraries.strings()
                .withChars("aZ=\" \t\\é€\uD83D\uDE00\uD800\uDC00\uDFFF\u07FF\u0800\uFFFF")
                .ofMaxLength(300);
        Arbitrary<String> long_ = Arbitraries.strings().alpha().ofMinLength(600).ofMaxLength(20_000);
        return Arbitraries.oneOf(ascii, any, mixed, long_);
    }

    @Provide
    Arbitrary<long[]> steps() {
        return Arbitraries.longs()
                .between(-5_000, 90_000)
                .array(long[].class)
                .ofMinSize(1)
                .ofMaxSize(30);
    }

    private AccessLineEncoder encoder(boolean timestamped, Charset charset) {
        AccessLineEncoder encoder = new AccessLineEncoder();
        encoder.setContext(context);
        encoder.setTimestamped(timestamped);
        encoder.setCharset(charset);
        encoder.start();
        return encoder;
    }

    private PatternLayoutEncoder pattern(String pattern, Charset charset) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.setCharset(charset);
        encoder.start();
        return encoder;
    }

    private ILoggingEvent event(String message, long millis) {
        LoggingEvent event = new LoggingEvent();
        event.setLoggerContext(context);
        event.setLoggerName(AccessLog.LOGGER);
        event.setLevel(Level.INFO);
        event.setMessage(message);
        event.setInstant(Instant.ofEpochMilli(millis));
        event.setThreadName("test");
        return event;
    }

    private static byte[] written(AccessLineEncoder encoder, ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(encoder, event, out);
        return out.toByteArray();
    }

    private static void write(AccessLineEncoder encoder, ILoggingEvent event, ByteArrayOutputStream out) {
        try {
            encoder.write(event, out);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static LoggerContext context() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        return context;
    }
}
