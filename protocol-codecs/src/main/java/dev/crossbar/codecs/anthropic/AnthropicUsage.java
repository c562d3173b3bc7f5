package dev.crossbar.codecs.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.IntegerFields;
import dev.crossbar.codecs.model.Usage;
import java.io.IOException;

/**
 * Anthropic's usage object in its own words, read field by field: {@code input_tokens} counts only the
 * input neither read from nor written to the cache, {@code cache_read_input_tokens} the reads,
 * {@code cache_creation_input_tokens} the writes (split by lifetime in {@code cache_creation:
 * {ephemeral_5m_input_tokens, ephemeral_1h_input_tokens}}), {@code output_tokens} every generated token
 * with {@code output_tokens_details.thinking_tokens} the reasoning among them. A stream restates it: the
 * message_start carries the input side, each message_delta the cumulative output and, in newer API
 * versions, the input side again; a field absent or null keeps what an earlier object said. Not
 * thread-safe; one per answer.
 */
final class AnthropicUsage {

    private long input;
    private long cacheRead;
    private long cacheCreation = -1;
    private long cache5m;
    private long cache1h;
    private long output;
    private long thinking;

    /** The canonical usage of one whole usage object. */
    static Usage of(JsonNode u) {
        AnthropicUsage usage = new AnthropicUsage();
        usage.read(u, true);
        return usage.canonical();
    }

    private static final int INPUT = 0;
    private static final int CACHE_READ = 1;
    private static final int CACHE_CREATION = 2;
    private static final int CACHE_5M = 3;
    private static final int CACHE_1H = 4;
    private static final int OUTPUT = 5;
    private static final int THINKING = 6;

    /** What {@link #of(long[])} reads of a usage object, at the indexes above. */
    static final IntegerFields FIELDS = IntegerFields.of(
            "input_tokens",
            "cache_read_input_tokens",
            "cache_creation_input_tokens",
            "cache_creation.ephemeral_5m_input_tokens",
            "cache_creation.ephemeral_1h_input_tokens",
            "output_tokens",
            "output_tokens_details.thinking_tokens");

    /** {@link #of(JsonNode)} of a usage object's {@link #FIELDS}, read without its tree. */
    static Usage of(long[] u) {
        AnthropicUsage usage = new AnthropicUsage();
        usage.input = stated(u[INPUT], usage.input);
        usage.cacheRead = stated(u[CACHE_READ], usage.cacheRead);
        usage.cacheCreation = stated(u[CACHE_CREATION], usage.cacheCreation);
        usage.cache5m = stated(u[CACHE_5M], usage.cache5m);
        usage.cache1h = stated(u[CACHE_1H], usage.cache1h);
        usage.output = stated(u[OUTPUT], usage.output);
        usage.thinking = stated(u[THINKING], usage.thinking);
        return usage.canonical();
    }

    private static long stated(long value, long previous) {
        return value == IntegerFields.ABSENT ? previous : value;
    }

    /**
     * Takes the fields this object states.
     *
     * @param withOutput false for a message_start, whose output count is a placeholder (1) before anything
     *     was generated
     */
    void read(JsonNode u, boolean withOutput) {
        if (u == null || !u.isObject()) {
            return;
        }
        input = number(u, "input_tokens", input);
        cacheRead = number(u, "cache_read_input_tokens", cacheRead);
        cacheCreation = number(u, "cache_creation_input_tokens", cacheCreation);
        JsonNode byLifetime = u.path("cache_creation");
        if (byLifetime.isObject()) {
            cache5m = number(byLifetime, "ephemeral_5m_input_tokens", cache5m);
            cache1h = number(byLifetime, "ephemeral_1h_input_tokens", cache1h);
        }
        if (withOutput) {
            output = number(u, "output_tokens", output);
            thinking = number(u.path("output_tokens_details"), "thinking_tokens", thinking);
        }
    }

    /**
     * Canonical: the input totals all three input fields; the writes are the stated total, or the sum of
     * the lifetimes when only those came (the constructor keeps the 1-hour part within the total).
     */
    Usage canonical() {
        long writes = cacheCreation >= 0 ? cacheCreation : cache5m + cache1h;
        return new Usage(input + cacheRead + writes, output, cacheRead, writes, cache1h, thinking);
    }

    private static long number(JsonNode object, String field, long previous) {
        JsonNode n = object.get(field);
        return n != null && n.isNumber() ? n.asLong() : previous;
    }

    /**
     * Writes an Anthropic usage object: {@code input_tokens} is the canonical input less cache reads and
     * writes, which go in their own fields (with the split by lifetime).
     *
     * @param withOutput false for a message_start, which states {@code output_tokens: 1} as Anthropic does
     */
    static void write(JsonGenerator g, Usage u, boolean withOutput) throws IOException {
        g.writeStartObject();
        g.writeNumberField("input_tokens", u.uncachedInputTokens());
        g.writeNumberField("cache_creation_input_tokens", u.cacheWriteTokens());
        g.writeNumberField("cache_read_input_tokens", u.cacheReadTokens());
        g.writeObjectFieldStart("cache_creation");
        g.writeNumberField("ephemeral_5m_input_tokens", u.cacheWrite5mTokens());
        g.writeNumberField("ephemeral_1h_input_tokens", u.cacheWrite1hTokens());
        g.writeEndObject();
        g.writeNumberField("output_tokens", withOutput ? u.outputTokens() : 1);
        if (withOutput && u.reasoningTokens() > 0) {
            g.writeObjectFieldStart("output_tokens_details");
            g.writeNumberField("thinking_tokens", u.reasoningTokens());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /**
     * The usage of a message_delta: cumulative, the input side restated as newer API versions do. A provider
     * of another protocol may report its usage only at the end (OpenAI does), after the message_start went
     * out with zeros, so the split of the writes by lifetime is restated too: Anthropic's own deltas lack it,
     * and clients that accumulate every field get it right.
     */
    static void writeDelta(JsonGenerator g, Usage u) throws IOException {
        g.writeStartObject();
        g.writeNumberField("input_tokens", u.uncachedInputTokens());
        g.writeNumberField("cache_creation_input_tokens", u.cacheWriteTokens());
        g.writeNumberField("cache_read_input_tokens", u.cacheReadTokens());
        g.writeObjectFieldStart("cache_creation");
        g.writeNumberField("ephemeral_5m_input_tokens", u.cacheWrite5mTokens());
        g.writeNumberField("ephemeral_1h_input_tokens", u.cacheWrite1hTokens());
        g.writeEndObject();
        g.writeNumberField("output_tokens", u.outputTokens());
        if (u.reasoningTokens() > 0) {
            g.writeObjectFieldStart("output_tokens_details");
            g.writeNumberField("thinking_tokens", u.reasoningTokens());
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
