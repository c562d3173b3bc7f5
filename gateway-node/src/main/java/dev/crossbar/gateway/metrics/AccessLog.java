package dev.crossbar.gateway.metrics;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import dev.crossbar.codecs.json.JsonOutput;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.gateway.pricing.Cost;
import dev.crossbar.gateway.proxy.RequestObserver;
import dev.crossbar.gateway.proxy.RequestRecord;
import java.time.Instant;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per finished request on the {@code crossbar.access} logger (logback.xml's {@link BufferedStdoutAppender},
 * which writes lines out in batches from its own thread, and takes them without a logging event when it is all the
 * logger has): request id, client protocol, client key name and team, model, provider, key id and fingerprint,
 * status, outcome, attempts, tokens by kind, cost in US dollars ({@code cost_usd} with nine decimals, or
 * {@code priced=false} when the target has no price), timings, and the built-in tools a provider could not run
 * and did not get. As {@code key=value} words (token kinds other than input and output only when non-zero), or
 * as one JSON object per line when {@code node.jsonLogs} is on. A key appears by id and fingerprint only,
 * never its secret.
 */
public final class AccessLog implements RequestObserver {

    public static final String LOGGER = "crossbar.access";

    private static final int MAX_KEPT_LINE = 8192;
    private static final ThreadLocal<StringBuilder> LINE = ThreadLocal.withInitial(() -> new StringBuilder(512));

    private final Logger log;
    private final boolean json;

    public AccessLog(boolean json) {
        this(LoggerFactory.getLogger(LOGGER), json);
    }

    AccessLog(Logger log, boolean json) {
        this.log = log;
        this.json = json;
    }

    @Override
    public void completed(RequestRecord r) {
        if (!log.isInfoEnabled()) {
            return;
        }
        StringBuilder line = json ? jsonLine(r, Instant.now()) : textLine(r);
        // Asked for every line: an appender or filter added at any time (a test's capture, an operator's change)
        // must see the lines that follow.
        BufferedStdoutAppender<?> direct = soleAppender(log);
        if (direct == null || !direct.appendLine(System.currentTimeMillis(), line)) {
            log.info(line.toString());
        }
    }

    /**
     * The logger's one appender when it is a {@link BufferedStdoutAppender} nothing else sees the events of (no
     * turbo filter, no filter on it, not additive): a line then goes straight into its batch, as the same bytes,
     * without logback's event and the line's string (3% of a plain request's allocation, docs/benchmarks.md). Reads
     * the logger's configuration as it is now, without copying any list of it.
     */
    static @Nullable BufferedStdoutAppender<?> soleAppender(Logger log) {
        if (!(log instanceof ch.qos.logback.classic.Logger logger)
                || logger.isAdditive()
                || !logger.getLoggerContext().getTurboFilterList().isEmpty()) {
            return null;
        }
        Iterator<Appender<ILoggingEvent>> appenders = logger.iteratorForAppenders();
        if (!appenders.hasNext()) {
            return null;
        }
        Appender<ILoggingEvent> only = appenders.next();
        if (appenders.hasNext() || !(only instanceof BufferedStdoutAppender<?> buffered) || buffered.filtered()) {
            return null;
        }
        return buffered;
    }

    /** The line of {@code r} in words, as a string (tests). */
    static String text(RequestRecord r) {
        return textLine(r).toString();
    }

    /** The line of {@code r} as JSON, as a string (tests). */
    static String json(RequestRecord r, Instant at) {
        return jsonLine(r, at).toString();
    }

    /** {@code req_1a openai-chat status=200 outcome=success model=m provider=p key=k fp=sk-...1234 ...}. */
    private static StringBuilder textLine(RequestRecord r) {
        StringBuilder b = line();
        b.append(r.requestId())
                .append(' ')
                .append(r.clientProtocol())
                .append(" status=")
                .append(r.status())
                .append(" outcome=")
                .append(r.outcome());
        word(b, "client", r.clientKey());
        word(b, "team", r.team());
        word(b, "model", r.model());
        word(b, "provider", r.provider());
        word(b, "key", r.keyId());
        word(b, "fp", r.keyFingerprint());
        b.append(" attempts=")
                .append(r.attempts())
                .append(" stream=")
                .append(r.stream())
                .append(" tokens_in=")
                .append(r.inputTokens())
                .append(" tokens_out=")
                .append(r.outputTokens());
        Usage u = r.usage();
        count(b, "tokens_cache_read", u.cacheReadTokens());
        count(b, "tokens_cache_write", u.cacheWriteTokens());
        count(b, "tokens_cache_write_1h", u.cacheWrite1hTokens());
        count(b, "tokens_reasoning", u.reasoningTokens());
        if (r.cost() instanceof Cost.Known k) {
            k.appendDisplay(b.append(" cost_usd="));
            if (k.estimated()) {
                b.append(" cost_estimated=true");
            }
        } else {
            b.append(" priced=false");
        }
        millis(b.append(" latency_ms="), r.totalNanos());
        millis(b.append(" upstream_ms="), r.upstreamNanos());
        if (r.firstByteNanos() >= 0) {
            millis(b.append(" first_byte_ms="), r.firstByteNanos());
        }
        millis(b.append(" queue_ms="), r.queueNanos());
        word(b, "dropped_tools", r.droppedTools());
        word(b, "dropped_fields", r.droppedFields());
        return b;
    }

    private static StringBuilder jsonLine(RequestRecord r, Instant at) {
        StringBuilder b = line();
        b.append('{');
        string(b, "ts", at.toString()).append(',');
        string(b, "log", "access").append(',');
        string(b, "request_id", r.requestId()).append(',');
        string(b, "protocol", r.clientProtocol()).append(',');
        string(b, "client", r.clientKey()).append(',');
        string(b, "team", r.team()).append(',');
        string(b, "model", r.model()).append(',');
        string(b, "provider", r.provider()).append(',');
        string(b, "key", r.keyId()).append(',');
        string(b, "key_fingerprint", r.keyFingerprint()).append(',');
        b.append("\"status\":").append(r.status()).append(',');
        string(b, "outcome", r.outcome()).append(',');
        b.append("\"attempts\":").append(r.attempts()).append(',');
        b.append("\"stream\":").append(r.stream()).append(',');
        b.append("\"tokens_in\":").append(r.inputTokens()).append(',');
        b.append("\"tokens_out\":").append(r.outputTokens()).append(',');
        b.append("\"tokens_cache_read\":").append(r.usage().cacheReadTokens()).append(',');
        b.append("\"tokens_cache_write\":").append(r.usage().cacheWriteTokens()).append(',');
        b.append("\"tokens_cache_write_1h\":")
                .append(r.usage().cacheWrite1hTokens())
                .append(',');
        b.append("\"tokens_reasoning\":").append(r.usage().reasoningTokens()).append(',');
        if (r.cost() instanceof Cost.Known k) {
            k.appendDisplay(b.append("\"cost_usd\":")).append(",\"priced\":true,");
            b.append("\"cost_estimated\":").append(k.estimated()).append(',');
        } else {
            b.append("\"cost_usd\":null,\"priced\":false,\"cost_estimated\":false,");
        }
        millis(b.append("\"latency_ms\":"), r.totalNanos()).append(',');
        millis(b.append("\"upstream_ms\":"), r.upstreamNanos()).append(',');
        if (r.firstByteNanos() >= 0) {
            millis(b.append("\"first_byte_ms\":"), r.firstByteNanos()).append(',');
        }
        millis(b.append("\"queue_ms\":"), r.queueNanos());
        if (r.droppedTools() != null) {
            string(b.append(','), "dropped_tools", r.droppedTools());
        }
        if (r.droppedFields() != null) {
            string(b.append(','), "dropped_fields", r.droppedFields());
        }
        return b.append('}');
    }

    /** The calling thread's line builder, emptied: a line is built per request on the event loop. */
    private static StringBuilder line() {
        StringBuilder b = LINE.get();
        if (b.capacity() > MAX_KEPT_LINE) {
            b = new StringBuilder(512);
            LINE.set(b);
        }
        b.setLength(0);
        return b;
    }

    private static void count(StringBuilder b, String name, long tokens) {
        if (tokens != 0) {
            b.append(' ').append(name).append('=').append(tokens);
        }
    }

    private static void word(StringBuilder b, String name, @Nullable String value) {
        if (value == null) {
            return;
        }
        b.append(' ').append(name).append('=');
        boolean plain = !value.isEmpty();
        for (int i = 0; i < value.length() && plain; i++) {
            char c = value.charAt(i);
            plain = c > ' ' && c != '"' && c != '=' && c < 0x7f;
        }
        if (plain) {
            b.append(value);
        } else {
            JsonOutput.quote(b, value);
        }
    }

    /** Milliseconds with one decimal, without allocating a formatter. */
    private static StringBuilder millis(StringBuilder b, long nanos) {
        long tenths = Math.max(0, nanos) / 100_000;
        return b.append(tenths / 10).append('.').append(tenths % 10);
    }

    private static StringBuilder string(StringBuilder b, String name, @Nullable String value) {
        b.append('"').append(name).append("\":");
        return value == null ? b.append("null") : JsonOutput.quote(b, value);
    }
}
