package dev.crossbar.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.codecs.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PassThroughBodyTest {

    private static String of(String body, String model, boolean askUsage) {
        byte[] raw = body.getBytes(StandardCharsets.UTF_8);
        ObjectNode tree = Json.parseObject(raw);
        return new String(
                PassThroughBody.of(raw, tree, tree.get("model").asText(), model, askUsage), StandardCharsets.UTF_8);
    }

    @Test
    void shouldForwardTheClientsBytesWhenNothingChanges() {
        byte[] raw = "{\"model\":\"m\", \"stream\":true}".getBytes(StandardCharsets.UTF_8);
        assertSame(raw, PassThroughBody.of(raw, Json.parseObject(raw), "m", "m", false));
    }

    @Test
    void shouldSpliceTheModelAndTheUsageRequestKeepingEveryOtherByte() {
        assertEquals(
                "{\"model\":\"gpt-4o\",  \"stream\":true,\"stream_options\":{\"include_usage\":true}}",
                of("{\"model\":\"alias\",  \"stream\":true}", "gpt-4o", true));
    }

    @Test
    void shouldSetIncludeUsageInOptionsTheClientSentWithoutIt() {
        String out = of(
                "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_obfuscation\":false,\"include_usage\":false}}",
                "up",
                true);
        ObjectNode sent = Json.parseObject(out.getBytes(StandardCharsets.UTF_8));
        assertEquals("up", sent.get("model").asText());
        assertEquals(true, sent.at("/stream_options/include_usage").asBoolean());
        assertEquals(false, sent.at("/stream_options/include_obfuscation").asBoolean(true));
    }
}
