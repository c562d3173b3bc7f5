package dev.crossbar.codecs.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.anthropic.AnthropicUpstreamCodec;
import dev.crossbar.codecs.gemini.GeminiUpstreamCodec;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.openai.OpenAiDialect;
import dev.crossbar.codecs.openai.OpenAiUpstreamCodec;
import dev.crossbar.codecs.testkit.Golden;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Real error bodies of each provider family, as providers send them for a dead, revoked or out-of-credit
 * key, a rate limit, a bad request and a fault: each decodes to the cause that decides what happens to the
 * key. {@code <case>.in.json} holds the status, the body and the cause it must have; {@code <case>.out.json}
 * the whole decoded error ({@code -Dgolden.update=true} rewrites them).
 */
class UpstreamErrorCausesTest {

    @TestFactory
    Stream<DynamicTest> openAiCompatibleServers() {
        return family("openai", new OpenAiUpstreamCodec(OpenAiDialect.GENERIC));
    }

    @TestFactory
    Stream<DynamicTest> anthropic() {
        return family("anthropic", new AnthropicUpstreamCodec());
    }

    @TestFactory
    Stream<DynamicTest> gemini() {
        return family("gemini", new GeminiUpstreamCodec());
    }

    private static Stream<DynamicTest> family(String name, UpstreamCodec codec) {
        String dir = "upstream-error-causes/" + name;
        return Golden.cases(dir, ".in.json").stream()
                .map(c -> dynamicTest(c, () -> {
                    JsonNode in = Golden.json(dir, c + ".in.json");
                    UpstreamError e = codec.decodeError(
                            in.get("status").asInt(), in.get("body").asText().getBytes(StandardCharsets.UTF_8));
                    assertEquals(UpstreamError.Cause.valueOf(in.get("cause").asText()), e.cause(), c);
                    Golden.assertJson(dir, c + ".out.json", render(e));
                }));
    }

    private static ObjectNode render(UpstreamError e) {
        ObjectNode o = Json.NODES.objectNode();
        o.put("cause", e.cause().name());
        o.put("code", e.code());
        o.put("status", e.error().status());
        o.put("kind", e.error().kind().name());
        o.put("message", e.error().message());
        o.put("retryAfterMs", e.retryAfterMs());
        return o;
    }
}
