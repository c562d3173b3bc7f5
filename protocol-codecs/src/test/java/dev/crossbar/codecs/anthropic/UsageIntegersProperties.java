package dev.crossbar.codecs.anthropic;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

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
 * A Messages answer's usage read without its tree ({@link TopLevelScan#integers}) against the tree's reading
 * ({@link AnthropicUsage#of(com.fasterxml.jackson.databind.JsonNode)}) on generated answers ({@link UsageAnswers}):
 * the same usage, or the same refusal.
 */
class UsageIntegersProperties {

    private static final AnthropicUpstreamCodec CODEC = new AnthropicUpstreamCodec();

    @Property(tries = 2000)
    void readsWhatTheTreeReads(@ForAll("answers") String answer) {
        UsageAnswers.assertReadAsTheTreeReads(answer, CODEC::usageOf, UsageIntegersProperties::byTree);
    }

    @Example
    void readsPlainUsageWithoutTheTree() {
        String answer = """
                {"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"hi"}],
                "usage":{"input_tokens":12,"cache_creation_input_tokens":100,"cache_read_input_tokens":1000,
                "cache_creation":{"ephemeral_5m_input_tokens":60,"ephemeral_1h_input_tokens":40},
                "output_tokens":30,"service_tier":"standard"}}""";
        byte[] body = answer.getBytes(UTF_8);
        assertNotNull(TopLevelScan.integers(body, 0, body.length, "usage", "content", AnthropicUsage.FIELDS));
        assertEquals(new Usage(1112, 30, 1000, 100, 40, 0), CODEC.usageOf(body));
        assertEquals(byTree(body), CODEC.usageOf(body));
    }

    /** The usage as the tree reads it. */
    private static Usage byTree(byte[] body) {
        return AnthropicUsage.of(TopLevelScan.member(body, "usage", "content"));
    }

    @Provide
    Arbitrary<String> answers() {
        return UsageAnswers.answers(
                "usage",
                "content",
                List.of("input_tokens", "cache_read_input_tokens", "cache_creation_input_tokens", "output_tokens"),
                Map.of(
                        "cache_creation", List.of("ephemeral_5m_input_tokens", "ephemeral_1h_input_tokens"),
                        "output_tokens_details", List.of("thinking_tokens")));
    }
}
