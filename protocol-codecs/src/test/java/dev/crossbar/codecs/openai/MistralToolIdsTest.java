package dev.crossbar.codecs.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.testkit.CanonicalGen;
import dev.crossbar.codecs.testkit.Golden;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Mistral accepts only [a-zA-Z0-9]{9} tool-call ids; foreign ids are rewritten stably and without collisions. */
class MistralToolIdsTest {

    @Test
    void shouldKeepAnIdMistralAlreadyAccepts() {
        assertEquals("D681PevKs", new MistralToolIds().rewrite("D681PevKs"));
    }

    @Test
    void shouldRewriteAForeignIdTheSameWayInEveryRequest() {
        String a = new MistralToolIds().rewrite("toolu_01ABCDEFGHIJ");
        String b = new MistralToolIds().rewrite("toolu_01ABCDEFGHIJ");
        assertEquals(a, b);
        assertTrue(MistralToolIds.isValid(a), a);
    }

    @Test
    void shouldGiveTwoIdsWhoseHashesCollideDistinctRewrites() {
        MistralToolIds ids = new MistralToolIds();
        String foreign = "call_0";
        String hashed = ids.rewrite(foreign);
        // A native id equal to the hash of an earlier foreign id must not merge the two calls.
        String nativeId = ids.rewrite(hashed);
        assertNotEquals(hashed, nativeId);
        assertTrue(MistralToolIds.isValid(nativeId));
        assertEquals(hashed, ids.rewrite(foreign));
        assertEquals(nativeId, ids.rewrite(hashed));
    }

    @Property(tries = 300)
    void shouldSendOnlyValidIdsAndKeepEveryResultPairedWithItsCall(@ForAll("requests") ChatRequest request) {
        OpenAiUpstreamCodec mistral = new OpenAiUpstreamCodec(OpenAiDialect.MISTRAL);
        JsonNode body = Golden.parse(
                mistral.encodeRequest(request, "mistral-large-latest").body());
        Map<String, String> original = new HashMap<>();
        Set<String> sent = new HashSet<>();
        // The original request pairs calls and results by id; map each sent id back by position.
        List<String> originalIds = new ArrayList<>();
        request.messages()
                .forEach(m -> m.parts().forEach(p -> {
                    if (p instanceof ContentPart.ToolCall c) {
                        originalIds.add(c.id());
                    } else if (p instanceof ContentPart.ToolResult r) {
                        originalIds.add(r.toolCallId());
                    }
                }));
        int i = 0;
        for (JsonNode m : body.get("messages")) {
            for (JsonNode c : m.path("tool_calls")) {
                String id = c.get("id").asText();
                assertTrue(MistralToolIds.isValid(id), id);
                assertTrue(sent.add(id), "ids stay distinct: " + id);
                original.put(id, originalIds.get(i++));
            }
            if (m.has("tool_call_id")) {
                String id = m.get("tool_call_id").asText();
                assertTrue(MistralToolIds.isValid(id), id);
                assertEquals(originalIds.get(i++), original.get(id), "a result answers the call it answered before");
            }
        }
    }

    @Provide
    Arbitrary<ChatRequest> requests() {
        return CanonicalGen.chatRequests();
    }
}
