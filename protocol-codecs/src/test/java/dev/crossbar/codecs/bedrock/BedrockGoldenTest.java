package dev.crossbar.codecs.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.spi.UpstreamRequest;
import dev.crossbar.codecs.testkit.Canon;
import dev.crossbar.codecs.testkit.EventStreamTranscripts;
import dev.crossbar.codecs.testkit.Golden;
import java.util.List;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bedrock's golden vectors, the upstream half of {@link dev.crossbar.codecs.testkit.CodecGoldenContract} (no client
 * speaks Converse): canonical requests to Converse bodies and paths, Converse answers and ConverseStream
 * transcripts (framed by {@link EventStreamTranscripts}) to canonical values, the same at every split point.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BedrockGoldenTest {

    private static final String DIR = "bedrock";
    private final BedrockUpstreamCodec codec = new BedrockUpstreamCodec();

    List<String> upstreamRequests() {
        return Golden.cases(DIR + "/upstream-request", ".canonical.json");
    }

    List<String> upstreamResponses() {
        return Golden.cases(DIR + "/upstream-response", ".response.json");
    }

    List<String> upstreamStreams() {
        return EventStreamTranscripts.cases(DIR + "/upstream-stream");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamRequests")
    void shouldEncodeCanonicalRequestAsConverse(String name) throws Exception {
        String dir = DIR + "/upstream-request";
        JsonNode file = Golden.json(dir, name + ".canonical.json");
        ChatRequest request = Canon.request(file);
        UpstreamRequest encoded =
                codec.encodeRequest(request, file.path("upstreamModel").asText(request.model()));
        ObjectNode actual = Json.NODES.objectNode();
        actual.put("path", encoded.path());
        actual.put("stream", encoded.stream());
        actual.set("body", Json.MAPPER.readTree(encoded.body()));
        Golden.assertJson(dir, name + ".upstream.json", actual);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamResponses")
    void shouldDecodeConverseAnswerToCanonical(String name) {
        String dir = DIR + "/upstream-response";
        Golden.assertJson(
                dir,
                name + ".canonical.json",
                Canon.render(codec.decodeResponse(Golden.bytes(dir, name + ".response.json")), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamStreams")
    void shouldDecodeConverseStreamToCanonicalEvents(String name) {
        String dir = DIR + "/upstream-stream";
        List<StreamEvent> events = Golden.decode(codec::streamDecoder, EventStreamTranscripts.bytes(dir, name));
        Golden.assertJsonLines(dir, name + ".events.jsonl", Canon.renderEvents(events));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamStreams")
    void shouldDecodeConverseStreamTheSameAtEverySplitPoint(String name) {
        byte[] bytes = EventStreamTranscripts.bytes(DIR + "/upstream-stream", name);
        List<StreamEvent> whole = Golden.decode(codec::streamDecoder, bytes);
        for (int split = 0; split <= bytes.length; split++) {
            assertEquals(whole, Golden.decode(codec::streamDecoder, bytes, split), name + " split at " + split);
        }
        int[] everyByte = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            everyByte[i] = i;
        }
        assertEquals(whole, Golden.decode(codec::streamDecoder, bytes, everyByte), name + " one byte at a time");
    }
}
