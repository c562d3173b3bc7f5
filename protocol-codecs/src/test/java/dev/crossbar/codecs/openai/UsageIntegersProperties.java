package dev.crossbar.codecs.openai;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.crossbar.codecs.json.TopLevelScan;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.testkit.UsageAnswers;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A Chat Completions answer's usage read without its tree ({@link TopLevelScan#integers}) against the tree's reading
 * ({@link ChatResponseDecoder#usage(com.fasterxml.jackson.databind.JsonNode)}), on generated answers: every field
 * as an integer, a string, a fraction, a literal, an object or an array, repeated or not; the details objects as
 * anything; a top-level {@code error}, no {@code choices}, a repeated or a missing usage. The same usage, or the same
 * refusal.
 */
class UsageIntegersProperties {

    private static final OpenAiUpstreamCodec CODEC = new OpenAiUpstreamCodec(OpenAiDialect.OPENAI);

    @Property(tries = 2000)
    void readsWhatTheTreeReads(@ForAll("answers") String answer) {
        UsageAnswers.assertReadAsTheTreeReads(answer, CODEC::usageOf, UsageIntegersProperties::byTree);
    }

    @Example
    void readsPlainUsageWithoutTheTree() {
        String answer = """
                {"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":"hi"}}],
                "usage":{"prompt_tokens":1200,"completion_tokens":300,"total_tokens":1500,
                "prompt_tokens_details":{"cached_tokens":1000,"audio_tokens":0},
                "completion_tokens_details":{"reasoning_tokens":256,"audio_tokens":0,
                "accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}""";
        byte[] body = answer.getBytes(UTF_8);
        assertNotNull(
                TopLevelScan.integers(body, 0, body.length, "usage", "choices", ChatResponseDecoder.USAGE_FIELDS));
        assertEquals(new Usage(1200, 300, 1000, 0, 0, 256), CODEC.usageOf(body));
        assertEquals(byTree(body), CODEC.usageOf(body));
    }

    @Example
    void leavesAStringCountToTheTree() {
        byte[] body = "{\"choices\":[],\"usage\":{\"prompt_tokens\":\"12\"}}".getBytes(UTF_8);
        assertNull(TopLevelScan.integers(body, 0, body.length, "usage", "choices", ChatResponseDecoder.USAGE_FIELDS));
        assertEquals(byTree(body), CODEC.usageOf(body));
    }

    /** The usage as the tree reads it. */
    private static Usage byTree(byte[] body) {
        return ChatResponseDecoder.usage(TopLevelScan.member(body, "usage", "choices"));
    }

    @Provide
    Arbitrary<String> answers() {
        return UsageAnswers.answers(
                "usage",
                "choices",
                List.of(
                        "prompt_tokens",
                        "completion_tokens",
                        "prompt_cache_hit_tokens",
                        "prompt_cache_miss_tokens",
                        "cache_creation_input_tokens"),
                Map.of(
                        "prompt_tokens_details", List.of("cached_tokens", "cache_write_tokens", "audio_tokens"),
                        "completion_tokens_details", List.of("reasoning_tokens", "audio_tokens")));
    }
}
