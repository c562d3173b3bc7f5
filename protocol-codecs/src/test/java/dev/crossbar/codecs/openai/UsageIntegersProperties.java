package dev.crossbar.codecs.openai;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.crossbar.codecs.json.TopLevelScan;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.Usage;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
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

    private static final List<String> TOP = List.of(
            "prompt_tokens",
            "completion_tokens",
            "prompt_cache_hit_tokens",
            "prompt_cache_miss_tokens",
            "cache_creation_input_tokens",
            "total_tokens",
            "other");
    private static final List<String> PROMPT_DETAILS = List.of("cached_tokens", "cache_write_tokens", "audio_tokens");
    private static final List<String> COMPLETION_DETAILS = List.of("reasoning_tokens", "audio_tokens");

    @Property(tries = 2000)
    void readsWhatTheTreeReads(@ForAll("answers") String answer) {
        byte[] body = answer.getBytes(UTF_8);
        assertEquals(byTree(body), read(() -> CODEC.usageOf(body)), answer);
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

    /** The usage as the tree reads it, or the refusal's message. */
    private static Object byTree(byte[] body) {
        return read(() -> ChatResponseDecoder.usage(TopLevelScan.member(body, 0, body.length, "usage", "choices")));
    }

    private static Object read(java.util.function.Supplier<Usage> reading) {
        try {
            return reading.get();
        } catch (CodecException e) {
            return "refused: " + e.getMessage();
        }
    }

    @Provide
    Arbitrary<String> answers() {
        Arbitrary<String> usage = object(TOP, true);
        Arbitrary<List<String>> usages =
                usage.map(u -> "\"usage\":" + u).list().ofMinSize(0).ofMaxSize(2);
        Arbitrary<List<String>> others = Arbitraries.of(
                        "\"id\":\"c\"",
                        "\"choices\":[{\"index\":0}]",
                        "\"choices\":[]",
                        "\"error\":{\"message\":\"x\"}",
                        "\"model\":\"m\"")
                .list()
                .ofMaxSize(3);
        return Combinators.combine(usages, others, Arbitraries.of(",", " , ", ",\n"))
                .as((u, o, comma) -> {
                    List<String> members = new java.util.ArrayList<>(o);
                    members.addAll(u);
                    java.util.Collections.shuffle(members, new java.util.Random(members.hashCode()));
                    return "{" + String.join(comma, members) + "}";
                });
    }

    /** An object of the names (repeats and absences included), each with any value; the details as objects mostly. */
    private static Arbitrary<String> object(List<String> names, boolean withDetails) {
        Arbitrary<String> member = Arbitraries.of(names).flatMap(n -> value().map(v -> "\"" + n + "\":" + v));
        if (withDetails) {
            member = Arbitraries.oneOf(
                    member,
                    member,
                    member,
                    details("prompt_tokens_details", PROMPT_DETAILS),
                    details("completion_tokens_details", COMPLETION_DETAILS));
        }
        return member.list().ofMaxSize(9).map(m -> "{" + String.join(",", m) + "}");
    }

    private static Arbitrary<String> details(String name, List<String> names) {
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(5, object(names, false)), net.jqwik.api.Tuple.of(1, value()))
                .map(v -> "\"" + name + "\":" + v);
    }

    private static Arbitrary<String> value() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(
                        8, Arbitraries.longs().between(-3, 5_000_000).map(String::valueOf)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().map(String::valueOf)),
                net.jqwik.api.Tuple.of(
                        3,
                        Arbitraries.of(
                                "\"12\"",
                                "\"x\"",
                                "1.5",
                                "2e3",
                                "-0",
                                "0",
                                "true",
                                "false",
                                "null",
                                "{}",
                                "[1,2]",
                                "{\"a\":1}",
                                "123456789012345678",
                                "-12345678901234567",
                                "1234567890123456789",
                                "99999999999999999999")));
    }
}
