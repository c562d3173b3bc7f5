package dev.crossbar.codecs.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.ClientStreamEncoder;
import dev.crossbar.codecs.spi.UpstreamCodec;
import dev.crossbar.codecs.spi.UpstreamError;
import dev.crossbar.codecs.testkit.CodecGoldenContract;
import dev.crossbar.codecs.testkit.Golden;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared golden contract for Chat Completions (golden/openai), plus the error bodies of its upstream
 * dialects (golden/openai/upstream-errors). An upstream-request vector's name starts with the dialect
 * that encodes it ({@code mistral-tool-ids} is Mistral's).
 */
class OpenAiGoldenTest extends CodecGoldenContract {

    private static final long NOW = 1_700_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
    private static final String ERRORS = "openai/upstream-errors";

    @Override
    protected String protocolDir() {
        return "openai";
    }

    @Override
    protected ClientCodec client() {
        return new OpenAiChatClientCodec(CLOCK);
    }

    @Override
    protected UpstreamCodec upstream() {
        return new OpenAiUpstreamCodec(OpenAiDialect.GENERIC, CLOCK);
    }

    @Override
    protected UpstreamCodec upstreamFor(String vector) {
        String dialect = vector.substring(0, vector.indexOf('-')).toUpperCase(Locale.ROOT);
        return new OpenAiUpstreamCodec(OpenAiDialect.valueOf(dialect), CLOCK);
    }

    @Override
    protected ClientStreamEncoder clientStreamEncoder(ChatRequest request) {
        return new ChatChunkEncoder(request, NOW, "chatcmpl-fallback");
    }

    @Override
    protected boolean upstreamRepliesCarryCreated() {
        return true;
    }

    List<String> upstreamErrors() {
        return Golden.cases(ERRORS, ".in.json");
    }

    /** An error file is {@code {"status", "body"}} or, for bytes that are not text, {@code "bodyBase64"}. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamErrors")
    void shouldDecodeUpstreamErrorBodiesTruthfully(String name) {
        JsonNode spec = Golden.json(ERRORS, name + ".in.json");
        byte[] body = spec.has("bodyBase64")
                ? Base64.getDecoder().decode(spec.get("bodyBase64").asText())
                : spec.get("body").asText().getBytes(StandardCharsets.UTF_8);
        UpstreamError error = new OpenAiUpstreamCodec(OpenAiDialect.GENERIC)
                .decodeError(spec.get("status").asInt(), body);
        Golden.assertJson(ERRORS, name + ".out.json", render(error));
    }

    private static ObjectNode render(UpstreamError e) {
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
}
