package dev.crossbar.codecs.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crossbar.codecs.anthropic.AnthropicUpstreamCodec;
import dev.crossbar.codecs.bedrock.BedrockUpstreamCodec;
import dev.crossbar.codecs.gemini.GeminiUpstreamCodec;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.openai.OpenAiDialect;
import dev.crossbar.codecs.openai.OpenAiUpstreamCodec;
import dev.crossbar.codecs.responses.OpenAiResponsesUpstreamCodec;
import dev.crossbar.codecs.spi.UpstreamCodec;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every golden upstream transcript, cut into random chunks, decodes to the same events as whole; one
 * property per protocol, so each gets its own tries.
 */
class StreamSplitProperties {

    @SuppressWarnings("ArrayRecordComponent") // test data, never compared; toString is its name
    record Transcript(String name, UpstreamCodec codec, byte[] bytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    @SuppressWarnings("ArrayRecordComponent") // test data, never compared; toString says what it holds
    record Case(Transcript transcript, int[] cuts) {
        @Override
        public String toString() {
            return transcript + " cut at " + java.util.Arrays.toString(cuts);
        }
    }

    private static List<Transcript> transcripts(String protocol, UpstreamCodec codec) {
        List<Transcript> all = new ArrayList<>();
        String dir = protocol + "/upstream-stream";
        for (String name : Golden.cases(dir, ".sse")) {
            all.add(new Transcript(protocol + "/" + name, codec, Golden.bytes(dir, name + ".sse")));
        }
        return all;
    }

    private static List<Transcript> bedrockTranscripts() {
        List<Transcript> all = new ArrayList<>();
        String dir = "bedrock/upstream-stream";
        UpstreamCodec codec = new BedrockUpstreamCodec();
        for (String name : EventStreamTranscripts.cases(dir)) {
            all.add(new Transcript("bedrock/" + name, codec, EventStreamTranscripts.bytes(dir, name)));
        }
        return all;
    }

    private static Arbitrary<Case> cases(String protocol, UpstreamCodec codec) {
        return cases(transcripts(protocol, codec));
    }

    private static Arbitrary<Case> cases(List<Transcript> transcripts) {
        Arbitrary<Transcript> transcript = Arbitraries.of(transcripts);
        Arbitrary<List<Integer>> cuts =
                Arbitraries.integers().between(0, 100_000).list().ofMaxSize(60);
        return Combinators.combine(transcript, cuts)
                .as((t, c) -> new Case(
                        t,
                        c.stream()
                                .mapToInt(x -> x % (t.bytes().length + 1))
                                .sorted()
                                .toArray()));
    }

    @Provide
    Arbitrary<Case> chatCompletions() {
        return cases("openai", new OpenAiUpstreamCodec(OpenAiDialect.GENERIC));
    }

    @Provide
    Arbitrary<Case> responses() {
        return cases("responses", new OpenAiResponsesUpstreamCodec());
    }

    @Provide
    Arbitrary<Case> anthropic() {
        return cases("anthropic", new AnthropicUpstreamCodec());
    }

    @Provide
    Arbitrary<Case> gemini() {
        return cases("gemini", new GeminiUpstreamCodec());
    }

    @Provide
    Arbitrary<Case> bedrock() {
        return cases(bedrockTranscripts());
    }

    @Property(tries = 150)
    void shouldDecodeBedrockTheSameAtRandomSplits(@ForAll("bedrock") Case c) {
        assertSameAsWhole(c);
    }

    @Property(tries = 300)
    void shouldDecodeChatCompletionsTheSameAtRandomSplits(@ForAll("chatCompletions") Case c) {
        assertSameAsWhole(c);
    }

    @Property(tries = 150)
    void shouldDecodeResponsesTheSameAtRandomSplits(@ForAll("responses") Case c) {
        assertSameAsWhole(c);
    }

    @Property(tries = 150)
    void shouldDecodeAnthropicTheSameAtRandomSplits(@ForAll("anthropic") Case c) {
        assertSameAsWhole(c);
    }

    @Property(tries = 150)
    void shouldDecodeGeminiTheSameAtRandomSplits(@ForAll("gemini") Case c) {
        assertSameAsWhole(c);
    }

    private static void assertSameAsWhole(Case c) {
        UpstreamCodec codec = c.transcript().codec();
        List<StreamEvent> whole =
                Golden.decode(codec::streamDecoder, c.transcript().bytes());
        assertEquals(whole, Golden.decode(codec::streamDecoder, c.transcript().bytes(), c.cuts()), c.toString());
    }
}
