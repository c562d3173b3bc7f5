package dev.crossbar.codecs.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.ResponseFormat;
import dev.crossbar.codecs.testkit.CanonicalGen;
import dev.crossbar.codecs.testkit.Golden;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every dialect turns any canonical request into a body its server accepts, or into a clear 400. */
class OpenAiDialectProperties {

    @Property(tries = 300)
    void shouldEncodeEveryRequestForEveryDialectOrRefuseWith400(
            @ForAll OpenAiDialect dialect, @ForAll("requests") ChatRequest request) {
        OpenAiUpstreamCodec codec = new OpenAiUpstreamCodec(dialect);
        boolean images = request.messages().stream()
                .flatMap(m -> m.parts().stream())
                .anyMatch(p -> p instanceof ContentPart.Image);
        boolean schema =
                request.responseFormat() != null && request.responseFormat().type() == ResponseFormat.Type.JSON_SCHEMA;
        if ((images && !dialect.acceptsImages()) || (schema && !dialect.acceptsJsonSchema())) {
            CodecException e = assertThrows(CodecException.class, () -> codec.encodeRequest(request, "upstream"));
            assertEquals(400, e.error().status());
            return;
        }
        JsonNode body = Golden.parse(codec.encodeRequest(request, "upstream").body());
        assertEquals("upstream", body.get("model").asText());
        assertTrue(body.get("messages").size() >= 1);
        assertEquals(request.stream() && dialect.asksForStreamUsage(), body.has("stream_options"));
        assertFalse(body.has("top_k") && !dialect.acceptsTopK());
        assertFalse(body.has("user") && !dialect.acceptsUser());
        assertFalse(body.has("reasoning_effort") && !dialect.acceptsReasoningEffort());
        assertFalse(body.has("tool_choice") && !body.has("tools"), "tool_choice only with tools");
        for (JsonNode m : body.get("messages")) {
            assertFalse(m.has("reasoning_content"), "thinking is never sent upstream");
            if (!dialect.acceptsContentArrays() && !images) {
                assertTrue(m.get("content").isTextual() || m.get("content").isNull(), m.toString());
            }
        }
        if (dialect == OpenAiDialect.MISTRAL) {
            for (JsonNode t : body.path("tools")) {
                assertTrue(t.get("function").has("parameters"), "Mistral requires parameters");
            }
        }
    }

    @Provide
    Arbitrary<ChatRequest> requests() {
        return CanonicalGen.chatRequests();
    }
}
