package dev.crossbar.codecs.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.spi.ClientStreamEncoder;
import dev.crossbar.codecs.spi.UpstreamError;
import dev.crossbar.codecs.spi.UpstreamRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Golden vectors for the Chat Completions codecs: every {@code *.in.*} file against its {@code *.out.*}. */
class OpenAiGoldenTest {

    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
    static final long NOW = 1_700_000_000L;

    private final OpenAiChatClientCodec client = new OpenAiChatClientCodec(CLOCK);

    @TestFactory
    Stream<DynamicTest> clientRequestsDecodeToTheCanonicalRequest() {
        return each("openai/client-requests", ".in.json", (in, out) -> {
            ChatRequest request = client.decodeRequest(Golden.json(in), null, false);
            Golden.assertJson(Golden.sibling(in, ".in.json", ".out.json"), CanonicalJson.render(request));
        });
    }

    @TestFactory
    Stream<DynamicTest> canonicalResponsesEncodeToChatCompletions() {
        return each("openai/client-responses", ".in.json", (in, out) -> {
            ChatResponse response = CanonicalJson.parseResponse(Golden.json(in));
            byte[] body = client.encodeResponse(
                    response, ChatRequest.builder("requested-model").build());
            Golden.assertJson(Golden.sibling(in, ".in.json", ".out.json"), Golden.parse(body));
        });
    }

    @TestFactory
    Stream<DynamicTest> canonicalEventsEncodeToChunkStreams() {
        return each("openai/client-streams", ".in.jsonl", (in, out) -> {
            List<JsonNode> lines = Golden.jsonLines(in);
            ChatRequest request = CanonicalJson.parseRequest(lines.get(0));
            ClientStreamEncoder encoder = new ChatChunkEncoder(request, NOW, "chatcmpl-fallback");
            StringBuilder sse = new StringBuilder();
            for (JsonNode line : lines.subList(1, lines.size())) {
                sse.append(encoder.encode(CanonicalJson.parseEvent(line)));
            }
            Golden.assertText(Golden.sibling(in, ".in.jsonl", ".out.sse"), sse.toString());
        });
    }

    @TestFactory
    Stream<DynamicTest> canonicalRequestsEncodeForEachDialect() {
        return each("openai/upstream-requests", ".in.json", (in, out) -> {
            JsonNode spec = Golden.json(in);
            OpenAiUpstreamCodec codec = new OpenAiUpstreamCodec(
                    OpenAiDialect.valueOf(spec.get("dialect").asText()), CLOCK);
            ChatRequest request = CanonicalJson.parseRequest(spec.get("request"));
            UpstreamRequest encoded =
                    codec.encodeRequest(request, spec.get("model").asText());
            assertEquals("/chat/completions", encoded.path());
            assertEquals(request.stream(), encoded.stream());
            Golden.assertJson(Golden.sibling(in, ".in.json", ".out.json"), Golden.parse(encoded.body()));
        });
    }

    @TestFactory
    Stream<DynamicTest> upstreamResponsesDecodeToTheCanonicalReply() {
        return each("openai/upstream-responses", ".in.json", (in, out) -> {
            ChatResponse response =
                    new OpenAiUpstreamCodec(OpenAiDialect.GENERIC, CLOCK).decodeResponse(Golden.bytes(in));
            Golden.assertJson(Golden.sibling(in, ".in.json", ".out.json"), CanonicalJson.render(response));
        });
    }

    @TestFactory
    Stream<DynamicTest> upstreamStreamsDecodeToCanonicalEvents() {
        return each("openai/upstream-streams", ".in.sse", (in, out) -> {
            List<StreamEvent> events = StreamFeed.decode(new ChatChunkDecoder(), Golden.bytes(in));
            Golden.assertJsonLines(Golden.sibling(in, ".in.sse", ".out.jsonl"), render(events));
        });
    }

    @TestFactory
    Stream<DynamicTest> upstreamErrorBodiesDecodeTruthfully() {
        return each("openai/upstream-errors", ".in.json", (in, out) -> {
            JsonNode spec = Golden.json(in);
            byte[] body = spec.has("bodyBase64")
                    ? Base64.getDecoder().decode(spec.get("bodyBase64").asText())
                    : spec.get("body").asText().getBytes(StandardCharsets.UTF_8);
            UpstreamError error = new OpenAiUpstreamCodec(OpenAiDialect.GENERIC)
                    .decodeError(spec.get("status").asInt(), body);
            Golden.assertJson(Golden.sibling(in, ".in.json", ".out.json"), render(error));
        });
    }

    static ObjectNode render(UpstreamError e) {
        ApiError a = e.error();
        ObjectNode o = Json.NODES.objectNode();
        o.put("status", a.status());
        o.put("kind", a.kind().name());
        o.put("message", a.message());
        o.put("param", a.param());
        o.put("retryAfterMs", e.retryAfterMs());
        o.put("cause", e.cause().name());
        o.put("code", e.code());
        return o;
    }

    static List<JsonNode> render(List<StreamEvent> events) {
        List<JsonNode> out = new ArrayList<>();
        events.forEach(e -> out.add(CanonicalJson.render(e)));
        return out;
    }

    interface Case {
        void run(Path in, Path out) throws Exception;
    }

    static Stream<DynamicTest> each(String dir, String suffix, Case c) {
        return Golden.files(dir, suffix).stream()
                .map(in -> dynamicTest(Golden.name(in, suffix), () -> c.run(in, null)));
    }
}
