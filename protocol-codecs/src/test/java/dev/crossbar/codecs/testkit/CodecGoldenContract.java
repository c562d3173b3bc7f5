package dev.crossbar.codecs.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.ClientStreamEncoder;
import dev.crossbar.codecs.spi.UpstreamCodec;
import dev.crossbar.codecs.spi.UpstreamRequest;
import java.util.List;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden vectors every protocol's codecs run, one directory each under {@code golden/<protocol>}:
 * client-request, upstream-request, client-response, upstream-response, upstream-stream, client-stream.
 * A protocol's test supplies its codecs and its directory; the protected hooks below have defaults that
 * fit a protocol with one upstream dialect, random stream ids and no creation time on its replies.
 *
 * <p>A vector may say what it is about beyond the canonical value: an upstream-request file an
 * {@code upstreamModel} (the model name the target knows, default the request's own), a
 * client-response file the {@code request} the reply answers, a client-stream file a first line
 * {@code {"request": ...}} (default: a request for {@code requested-model}, not streamed, no usage).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class CodecGoldenContract {

    protected abstract String protocolDir();

    protected abstract ClientCodec client();

    protected abstract UpstreamCodec upstream();

    /** The upstream codec that encodes the named upstream-request vector (a protocol with dialects picks one). */
    protected UpstreamCodec upstreamFor(String vector) {
        return upstream();
    }

    /** The client stream encoder; a protocol whose encoder mints a random id gives it a fixed one here. */
    protected ClientStreamEncoder clientStreamEncoder(ChatRequest request) {
        return client().streamEncoder(request);
    }

    /** Whether the upstream's replies carry their creation time, so the canonical rendering shows it. */
    protected boolean upstreamRepliesCarryCreated() {
        return false;
    }

    private String dir(String kind) {
        return protocolDir() + "/" + kind;
    }

    List<String> clientRequests() {
        return Golden.cases(dir("client-request"), ".request.json");
    }

    List<String> upstreamRequests() {
        return Golden.cases(dir("upstream-request"), ".canonical.json");
    }

    List<String> clientResponses() {
        return Golden.cases(dir("client-response"), ".canonical.json");
    }

    List<String> upstreamResponses() {
        return Golden.cases(dir("upstream-response"), ".response.json");
    }

    List<String> upstreamStreams() {
        return Golden.cases(dir("upstream-stream"), ".sse");
    }

    List<String> clientStreams() {
        return Golden.cases(dir("client-stream"), ".events.jsonl");
    }

    /**
     * A request file is the body itself, or {@code {"pathModel","pathStream","body"}} when the path
     * carries part of the request (Gemini).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("clientRequests")
    void shouldDecodeClientRequestToCanonical(String name) {
        JsonNode file = Golden.json(dir("client-request"), name + ".request.json");
        ChatRequest decoded = file.has("body") && file.has("pathModel")
                ? client().decodeRequest(
                                file.get("body"),
                                file.get("pathModel").asText(),
                                file.path("pathStream").asBoolean())
                : client().decodeRequest(file, null, false);
        Golden.assertJson(dir("client-request"), name + ".canonical.json", Canon.render(decoded));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamRequests")
    void shouldEncodeCanonicalRequestForUpstream(String name) throws Exception {
        JsonNode file = Golden.json(dir("upstream-request"), name + ".canonical.json");
        ChatRequest request = Canon.request(file);
        UpstreamRequest encoded = upstreamFor(name)
                .encodeRequest(request, file.path("upstreamModel").asText(request.model()));
        ObjectNode actual = Json.NODES.objectNode();
        actual.put("path", encoded.path());
        actual.put("stream", encoded.stream());
        actual.set("body", Json.MAPPER.readTree(encoded.body()));
        Golden.assertJson(dir("upstream-request"), name + ".upstream.json", actual);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientResponses")
    void shouldEncodeCanonicalResponseForClient(String name) throws Exception {
        JsonNode file = Golden.json(dir("client-response"), name + ".canonical.json");
        byte[] body = client().encodeResponse(Canon.response(file), answered(file.get("request")));
        Golden.assertJson(dir("client-response"), name + ".response.json", Json.MAPPER.readTree(body));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamResponses")
    void shouldDecodeUpstreamResponseToCanonical(String name) {
        byte[] body = Golden.bytes(dir("upstream-response"), name + ".response.json");
        Golden.assertJson(
                dir("upstream-response"),
                name + ".canonical.json",
                Canon.render(upstream().decodeResponse(body), upstreamRepliesCarryCreated()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamStreams")
    void shouldDecodeUpstreamStreamToCanonicalEvents(String name) {
        byte[] sse = Golden.bytes(dir("upstream-stream"), name + ".sse");
        List<StreamEvent> events = Golden.decode(upstream()::streamDecoder, sse);
        Golden.assertJsonLines(dir("upstream-stream"), name + ".events.jsonl", Canon.renderEvents(events));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamStreams")
    void shouldDecodeUpstreamStreamTheSameAtEverySplitPoint(String name) {
        byte[] sse = Golden.bytes(dir("upstream-stream"), name + ".sse");
        List<StreamEvent> whole = Golden.decode(upstream()::streamDecoder, sse);
        for (int split = 0; split <= sse.length; split++) {
            assertEquals(whole, Golden.decode(upstream()::streamDecoder, sse, split), name + " split at " + split);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamStreams")
    void shouldDecodeUpstreamStreamTheSameOneByteAtATime(String name) {
        byte[] sse = Golden.bytes(dir("upstream-stream"), name + ".sse");
        int[] everyByte = new int[sse.length];
        for (int i = 0; i < sse.length; i++) {
            everyByte[i] = i;
        }
        assertEquals(
                Golden.decode(upstream()::streamDecoder, sse),
                Golden.decode(upstream()::streamDecoder, sse, everyByte));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientStreams")
    void shouldEncodeCanonicalEventsAsClientStream(String name) {
        ArrayNode lines = Golden.jsonLines(dir("client-stream"), name + ".events.jsonl");
        JsonNode request = null;
        if (!lines.isEmpty() && lines.get(0).has("request")) {
            request = lines.remove(0).get("request");
        }
        String sse = Golden.encode(clientStreamEncoder(answered(request)), Canon.events(lines));
        Golden.assertText(dir("client-stream"), name + ".sse", sse);
    }

    private static ChatRequest answered(JsonNode request) {
        return request == null ? ChatRequest.builder("requested-model").build() : Canon.request(request);
    }
}
