package dev.crossbar.codecs.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.spi.UpstreamRequest;
import dev.crossbar.codecs.testkit.CanonicalGen;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any canonical request becomes a Converse body Bedrock accepts, or a 400 naming the field: turns alternate and are
 * never empty, and every tool a turn uses is declared in {@code toolConfig}, as Converse requires.
 */
class BedrockRequestProperties {

    private final BedrockUpstreamCodec codec = new BedrockUpstreamCodec();

    @Provide
    Arbitrary<ChatRequest> requests() {
        return CanonicalGen.chatRequests();
    }

    @Property(tries = 300)
    void shouldWriteAConverseBodyBedrockAcceptsOrRefuseNamingTheField(@ForAll("requests") ChatRequest request)
            throws Exception {
        UpstreamRequest encoded;
        try {
            encoded = codec.encodeRequest(request, "anthropic.claude-sonnet-4-5-20250929-v1:0");
        } catch (CodecException e) {
            assertEquals(400, e.error().status(), e.getMessage());
            assertNotNull(e.error().param(), e.getMessage());
            return;
        }
        assertEquals(request.stream(), encoded.path().endsWith("/converse-stream"), encoded.path());
        JsonNode body = Json.MAPPER.readTree(encoded.body());
        String previous = null;
        Set<String> used = new HashSet<>();
        for (JsonNode message : body.path("messages")) {
            String role = message.path("role").asText();
            assertTrue(role.equals("user") || role.equals("assistant"), role);
            assertFalse(role.equals(previous), "roles alternate: " + body);
            previous = role;
            assertFalse(message.path("content").isEmpty(), "no empty turn: " + body);
            boolean pastResults = false;
            for (JsonNode block : message.path("content")) {
                if (block.has("toolUse")) {
                    used.add(block.get("toolUse").path("name").asText());
                }
                if (block.has("toolResult")) {
                    assertFalse(pastResults, "a turn's tool results come first: " + body);
                    assertEquals("user", role, body.toString());
                } else {
                    pastResults = true;
                }
            }
        }
        Set<String> declared =
                new HashSet<>(body.path("toolConfig").path("tools").findValuesAsText("name"));
        assertTrue(declared.containsAll(used), "every tool used is declared: " + body);
        boolean toolBlocks =
                body.toString().contains("\"toolUse\"") || body.toString().contains("\"toolResult\"");
        assertTrue(!toolBlocks || body.has("toolConfig"), "tool blocks need a toolConfig: " + body);
    }
}
