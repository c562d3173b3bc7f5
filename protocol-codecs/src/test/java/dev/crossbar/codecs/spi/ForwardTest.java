package dev.crossbar.codecs.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.anthropic.AnthropicUpstreamCodec;
import dev.crossbar.codecs.gemini.GeminiUpstreamCodec;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.openai.OpenAiChatClientCodec;
import dev.crossbar.codecs.openai.OpenAiDialect;
import dev.crossbar.codecs.openai.OpenAiUpstreamCodec;
import dev.crossbar.codecs.responses.OpenAiResponsesUpstreamCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A body of the upstream's own protocol goes as the client sent it, to the path of what it asks. */
class ForwardTest {

    private static final OpenAiUpstreamCodec OPENAI = new OpenAiUpstreamCodec(OpenAiDialect.OPENAI);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Forwarded f) {
        return new String(f.request().body(), StandardCharsets.UTF_8);
    }

    private static RequestFacts facts(String model, boolean stream) {
        return new RequestFacts(model, stream, null, false);
    }

    @Test
    void shouldForwardTheClientsBytesWhenTheModelKeepsItsName() {
        byte[] raw = bytes("{\"model\":\"m\", \"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        Forwarded f = OPENAI.forward(Endpoint.CHAT, raw, facts("m", false), "m");
        assertSame(raw, f.request().body());
        assertEquals("/chat/completions", f.request().path());
        assertFalse(f.request().stream());
        assertNull(f.streamFilter());
    }

    @Test
    void shouldSpliceTheModelAndTheUsageRequestKeepingEveryOtherByte() {
        Forwarded f = OPENAI.forward(
                Endpoint.CHAT, bytes("{\"model\":\"alias\",  \"stream\":true}"), facts("alias", true), "gpt-4o");
        assertEquals("{\"model\":\"gpt-4o\",  \"stream\":true,\"stream_options\":{\"include_usage\":true}}", text(f));
        assertTrue(f.request().stream());
        assertNotNull(f.streamFilter(), "the relay takes the usage back out");
    }

    @Test
    void shouldNotAskForUsageTheClientAskedForItself() {
        String body = "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
        Forwarded f = OPENAI.forward(Endpoint.CHAT, bytes(body), new RequestFacts("m", true, null, true), "m");
        assertEquals(body, text(f));
        assertNull(f.streamFilter());
    }

    @Test
    void shouldSetIncludeUsageInOptionsTheClientSentWithoutIt() {
        Forwarded f = OPENAI.forward(
                Endpoint.CHAT,
                bytes("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_obfuscation\":false,"
                        + "\"include_usage\":false}}"),
                new RequestFacts("m", true, null, false, true, null),
                "up");
        ObjectNode sent = Json.parseObject(f.request().body());
        assertEquals("up", sent.get("model").asText());
        assertTrue(sent.at("/stream_options/include_usage").asBoolean());
        assertFalse(sent.at("/stream_options/include_obfuscation").asBoolean(true));
    }

    /** What intake reads of the body tells whether it has options to change: a null one is changed, not repeated. */
    @Test
    void shouldReplaceNullStreamOptionsRatherThanAddSecondOnes() throws Exception {
        byte[] body = bytes("{\"model\":\"m\",\"stream\":true,\"stream_options\":null}");
        RequestFacts read = new OpenAiChatClientCodec().readFacts(Json.parseObject(body), null, false);
        assertTrue(read.streamOptions());
        Forwarded f = OPENAI.forward(Endpoint.CHAT, body, read, "up");
        assertEquals(1, text(f).split("stream_options", -1).length - 1, text(f));
        assertTrue(Json.parseObject(f.request().body())
                .at("/stream_options/include_usage")
                .asBoolean());
    }

    @Test
    void shouldAskNoUsageOfADialectThatReportsItUnasked() {
        OpenAiUpstreamCodec generic = new OpenAiUpstreamCodec(OpenAiDialect.GENERIC);
        Forwarded f = generic.forward(Endpoint.CHAT, bytes("{\"model\":\"m\",\"stream\":true}"), facts("m", true), "m");
        assertEquals(generic.asksForStreamUsage(), f.streamFilter() != null);
    }

    /** Regression: a repeated model was spliced at the first, while the request was routed by the last. */
    @Test
    void shouldRewriteARepeatedModelThroughTheTree() {
        Forwarded f = OPENAI.forward(
                Endpoint.CHAT, bytes("{\"model\":\"a\",\"x\":1,\"model\":\"b\"}"), facts("b", false), "up");
        assertEquals("{\"model\":\"up\",\"x\":1}", text(f));
    }

    @Test
    void shouldSendEachEndpointToItsPath() {
        byte[] body = bytes("{\"model\":\"alias\",\"input\":\"x\"}");
        RequestFacts alias = facts("alias", false);
        assertEquals(
                "/embeddings",
                OPENAI.forward(Endpoint.EMBEDDINGS, body, alias, "e").request().path());
        OpenAiResponsesUpstreamCodec responses = new OpenAiResponsesUpstreamCodec();
        assertEquals(
                "/responses",
                responses.forward(Endpoint.CHAT, body, alias, "r").request().path());
        assertEquals(
                "/embeddings",
                responses
                        .forward(Endpoint.EMBEDDINGS, body, alias, "e")
                        .request()
                        .path());
        AnthropicUpstreamCodec anthropic = new AnthropicUpstreamCodec();
        assertEquals(
                "/messages",
                anthropic.forward(Endpoint.CHAT, body, alias, "c").request().path());
        Forwarded counted = anthropic.forward(Endpoint.COUNT_TOKENS, body, alias, "c");
        assertEquals("/messages/count_tokens", counted.request().path());
        assertEquals("{\"model\":\"c\",\"input\":\"x\"}", text(counted));
        assertThrows(IllegalArgumentException.class, () -> anthropic.forward(Endpoint.EMBEDDINGS, body, alias, "c"));
        assertFalse(anthropic.serves(Endpoint.EMBEDDINGS));
        assertTrue(responses.serves(Endpoint.EMBEDDINGS));
        assertFalse(OPENAI.serves(Endpoint.COUNT_TOKENS));
    }

    @Test
    void shouldNameTheGeminiModelInThePathAndForwardTheBodyAsSent() {
        GeminiUpstreamCodec gemini = new GeminiUpstreamCodec();
        byte[] body = bytes("{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],\"cachedContent\":\"c/1\"}");
        Forwarded plain = gemini.forward(Endpoint.CHAT, body, facts("alias", false), "gemini-2.5-flash");
        assertEquals("/models/gemini-2.5-flash:generateContent", plain.request().path());
        assertSame(body, plain.request().body());
        Forwarded streamed = gemini.forward(Endpoint.CHAT, body, facts("alias", true), "gemini-2.5-flash");
        assertEquals(
                "/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
                streamed.request().path());
        assertTrue(streamed.request().stream());
        assertFalse(gemini.serves(Endpoint.COUNT_TOKENS));
    }
}
