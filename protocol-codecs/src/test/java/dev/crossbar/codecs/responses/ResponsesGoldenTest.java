package dev.crossbar.codecs.responses;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.openai.CanonicalJson;
import dev.crossbar.codecs.openai.Golden;
import dev.crossbar.codecs.spi.ClientStreamEncoder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Golden vectors for the Responses API client codec. */
class ResponsesGoldenTest {

    static final long NOW = 1_700_000_000L;
    private final OpenAiResponsesClientCodec codec =
            new OpenAiResponsesClientCodec(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));

    @TestFactory
    Stream<DynamicTest> requestsDecodeToTheCanonicalRequest() {
        return each("responses/client-requests", ".in.json", in -> {
            ChatRequest request = codec.decodeRequest(Golden.json(in), null, false);
            Golden.assertJson(Golden.sibling(in, ".in.json", ".out.json"), CanonicalJson.render(request));
        });
    }

    @TestFactory
    Stream<DynamicTest> canonicalResponsesEncodeToResponseObjects() {
        return each("responses/client-responses", ".in.json", in -> {
            ChatResponse response = CanonicalJson.parseResponse(Golden.json(in));
            ChatRequest request =
                    ChatRequest.builder("requested-model").maxTokens(3).build();
            Golden.assertJson(
                    Golden.sibling(in, ".in.json", ".out.json"), Golden.parse(codec.encodeResponse(response, request)));
        });
    }

    @TestFactory
    Stream<DynamicTest> canonicalEventsEncodeToResponseEventStreams() {
        return each("responses/client-streams", ".in.jsonl", in -> {
            List<JsonNode> lines = Golden.jsonLines(in);
            ChatRequest request = CanonicalJson.parseRequest(lines.get(0));
            ClientStreamEncoder encoder = new ResponsesStreamEncoder(request, NOW, "resp_fallback");
            StringBuilder sse = new StringBuilder();
            for (JsonNode line : lines.subList(1, lines.size())) {
                sse.append(encoder.encode(CanonicalJson.parseEvent(line)));
            }
            Golden.assertText(Golden.sibling(in, ".in.jsonl", ".out.sse"), sse.toString());
        });
    }

    interface Case {
        void run(Path in) throws Exception;
    }

    static Stream<DynamicTest> each(String dir, String suffix, Case c) {
        return Golden.files(dir, suffix).stream().map(in -> dynamicTest(Golden.name(in, suffix), () -> c.run(in)));
    }
}
