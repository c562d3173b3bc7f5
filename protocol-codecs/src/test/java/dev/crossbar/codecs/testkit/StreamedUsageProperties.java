package dev.crossbar.codecs.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crossbar.codecs.anthropic.AnthropicClientCodec;
import dev.crossbar.codecs.anthropic.AnthropicUpstreamCodec;
import dev.crossbar.codecs.gemini.GeminiClientCodec;
import dev.crossbar.codecs.gemini.GeminiUpstreamCodec;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.openai.OpenAiChatClientCodec;
import dev.crossbar.codecs.openai.OpenAiDialect;
import dev.crossbar.codecs.openai.OpenAiUpstreamCodec;
import dev.crossbar.codecs.responses.OpenAiResponsesClientCodec;
import dev.crossbar.codecs.responses.OpenAiResponsesUpstreamCodec;
import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.ClientStreamEncoder;
import dev.crossbar.codecs.spi.UpstreamCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The usage of a streamed answer equals that of the same answer unstreamed, for every pair of an upstream
 * protocol and a client protocol, with the stream split anywhere. A provider's answer is made in its own wire
 * (by that protocol's client encoder, whole and streamed), read by the upstream decoder, written for the client
 * by the client encoder (whole and streamed) and read back in the client's words: both ways must agree, and
 * must carry what the two protocols can say of the usage the provider reported.
 */
class StreamedUsageProperties {

    /** A protocol both ways: the wire a provider of it sends, and the reader of that wire. */
    @SuppressWarnings("ImmutableEnumChecker") // the codecs are stateless
    enum Wire {
        CHAT(new OpenAiChatClientCodec(), new OpenAiUpstreamCodec(OpenAiDialect.OPENAI)),
        RESPONSES(new OpenAiResponsesClientCodec(), new OpenAiResponsesUpstreamCodec()),
        ANTHROPIC(new AnthropicClientCodec(), new AnthropicUpstreamCodec()),
        GEMINI(new GeminiClientCodec(), new GeminiUpstreamCodec());

        final ClientCodec writer;
        final UpstreamCodec reader;

        Wire(ClientCodec writer, UpstreamCodec reader) {
            this.writer = writer;
            this.reader = reader;
        }

        /** What this protocol's usage fields can say. */
        Usage sayable(Usage u) {
            return switch (this) {
                case CHAT, RESPONSES -> UsageFields.openAi(u);
                case GEMINI -> UsageFields.gemini(u);
                case ANTHROPIC -> u;
            };
        }
    }

    private static final ChatRequest WHOLE = ChatRequest.builder("m").build();
    private static final ChatRequest STREAMED =
            ChatRequest.builder("m").stream(true).includeUsage(true).build();

    @Property(tries = 400)
    void streamedUsageEqualsUnstreamedUsageForEveryPair(
            @ForAll("usages") Usage reported,
            @ForAll Wire upstream,
            @ForAll Wire client,
            @ForAll("cuts") List<Integer> cuts) {
        ChatResponse answer = new ChatResponse(
                "msg_1",
                "m",
                List.of(new ContentPart.Text("It renews on 1 March.")),
                FinishReason.STOP,
                null,
                reported,
                1_700_000_000L);

        Usage providerWhole = upstream.reader
                .decodeResponse(upstream.writer.encodeResponse(answer, WHOLE))
                .usage();
        List<StreamEvent> fromProvider =
                decode(upstream, encode(upstream.writer.streamEncoder(STREAMED), events(answer)), cuts);
        assertEquals(upstream.sayable(reported), providerWhole, "the provider's whole answer");
        assertEquals(providerWhole, lastUsage(fromProvider), upstream + " streamed, as read from the provider");

        ChatResponse decoded = new ChatResponse(
                "msg_1", "m", answer.content(), FinishReason.STOP, null, providerWhole, 1_700_000_000L);
        Usage clientWhole = client.reader
                .decodeResponse(client.writer.encodeResponse(decoded, WHOLE))
                .usage();
        Usage clientStreamed =
                lastUsage(decode(client, encode(client.writer.streamEncoder(STREAMED), fromProvider), cuts));
        assertEquals(client.sayable(providerWhole), clientWhole, upstream + " -> " + client + " whole");
        assertEquals(clientWhole, clientStreamed, upstream + " -> " + client + " streamed");
    }

    /** A streamed answer as upstream decoders emit it: the input side early, the whole usage at the end. */
    private static List<StreamEvent> events(ChatResponse answer) {
        return List.of(
                new StreamEvent.Start(
                        answer.id(), answer.model(), answer.usage().withOutput(0, 0)),
                new StreamEvent.TextDelta("It renews "),
                new StreamEvent.TextDelta("on 1 March."),
                new StreamEvent.Finish(FinishReason.STOP, null),
                new StreamEvent.UsageUpdate(answer.usage()),
                new StreamEvent.End());
    }

    private static byte[] encode(ClientStreamEncoder encoder, List<StreamEvent> events) {
        return Golden.encode(encoder, events).getBytes(StandardCharsets.UTF_8);
    }

    private static List<StreamEvent> decode(Wire wire, byte[] bytes, List<Integer> cuts) {
        int[] points =
                cuts.stream().mapToInt(c -> c % (bytes.length + 1)).sorted().toArray();
        return Golden.decode(wire.reader::streamDecoder, bytes, points);
    }

    private static Usage lastUsage(List<StreamEvent> events) {
        Usage last = null;
        List<String> kinds = new ArrayList<>();
        for (StreamEvent e : events) {
            kinds.add(e.getClass().getSimpleName());
            if (e instanceof StreamEvent.UsageUpdate u) {
                last = u.usage();
            }
        }
        assertEquals("End", kinds.get(kinds.size() - 1), kinds.toString());
        return last;
    }

    @Provide
    Arbitrary<Usage> usages() {
        return CanonicalGen.usage();
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 100_000).list().ofMaxSize(6);
    }
}
