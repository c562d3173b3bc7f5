package dev.crossbar.codecs.gemini;

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
 * A Gemini answer's {@code usageMetadata} read without its tree ({@link TopLevelScan#integers}) against the tree's
 * reading ({@link GeminiWire#usage(com.fasterxml.jackson.databind.JsonNode)}) on generated answers ({@link
 * UsageAnswers}): the same usage, or the same refusal.
 */
class UsageIntegersProperties {

    private static final GeminiUpstreamCodec CODEC = new GeminiUpstreamCodec();

    @Property(tries = 2000)
    void readsWhatTheTreeReads(@ForAll("answers") String answer) {
        UsageAnswers.assertReadAsTheTreeReads(answer, CODEC::usageOf, UsageIntegersProperties::byTree);
    }

    @Example
    void readsPlainUsageWithoutTheTree() {
        String answer = """
                {"candidates":[{"content":{"role":"model","parts":[{"text":"hi"}]},"finishReason":"STOP"}],
                "usageMetadata":{"promptTokenCount":1200,"candidatesTokenCount":30,"totalTokenCount":1330,
                "cachedContentTokenCount":1000,"thoughtsTokenCount":100,
                "promptTokensDetails":[{"modality":"TEXT","tokenCount":1200}]},"modelVersion":"gemini-2.5-flash"}""";
        byte[] body = answer.getBytes(UTF_8);
        assertNotNull(TopLevelScan.integers(body, 0, body.length, "usageMetadata", null, GeminiWire.USAGE_FIELDS));
        assertEquals(new Usage(1200, 130, 1000, 0, 0, 100), CODEC.usageOf(body));
        assertEquals(byTree(body), CODEC.usageOf(body));
    }

    /** The usage as the tree reads it. */
    private static Usage byTree(byte[] body) {
        return GeminiWire.usage(TopLevelScan.member(body, "usageMetadata", null));
    }

    @Provide
    Arbitrary<String> answers() {
        return UsageAnswers.answers(
                "usageMetadata",
                "candidates",
                List.of(
                        "promptTokenCount",
                        "toolUsePromptTokenCount",
                        "candidatesTokenCount",
                        "cachedContentTokenCount",
                        "thoughtsTokenCount"),
                Map.of());
    }
}
