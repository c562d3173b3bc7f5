package dev.crossbar.codecs.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crossbar.codecs.anthropic.AnthropicUpstreamCodec;
import dev.crossbar.codecs.gemini.GeminiUpstreamCodec;
import dev.crossbar.codecs.model.StreamEvent;
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

/** Every golden upstream transcript, cut into random chunks, decodes to the same events as whole. */
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

    private static List<Transcript> transcripts() {
        List<Transcript> all = new ArrayList<>();
        add(all, "anthropic", new AnthropicUpstreamCodec());
        add(all, "gemini", new GeminiUpstreamCodec());
        add(all, "responses", new OpenAiResponsesUpstreamCodec());
        return all;
    }

    private static void add(List<Transcript> all, String protocol, UpstreamCodec codec) {
        String dir = protocol + "/upstream-stream";
        for (String name : Golden.cases(dir, ".sse")) {
            all.add(new Transcript(protocol + "/" + name, codec, Golden.bytes(dir, name + ".sse")));
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Transcript> transcript = Arbitraries.of(transcripts());
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

    @Property(tries = 400)
    void shouldDecodeTheSameEventsAtRandomSplits(@ForAll("cases") Case c) {
        UpstreamCodec codec = c.transcript().codec();
        List<StreamEvent> whole =
                Golden.decode(codec::streamDecoder, c.transcript().bytes());
        assertEquals(whole, Golden.decode(codec::streamDecoder, c.transcript().bytes(), c.cuts()));
    }
}
