package dev.crossbar.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.crossbar.codecs.spi.Protocol;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The sticky strategy's hash of a conversation's opening, read from the body's bytes without decoding it. */
class ConversationOpeningTest {

    private static long hash(Protocol protocol, String body) {
        return ConversationOpening.of(protocol, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldHashTheSameOpeningAlikeWhateverFollowsIt() {
        String first = """
                {"model":"m","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hi"}]}""";
        String third = """
                {"tools":[{"messages":"not the conversation"}],"model":"m","stream":true,"messages":[\
                {"role":"system","content":"be brief"},{"role":"user","content":"hi"},\
                {"role":"assistant","content":"hello"},{"role":"user","content":"more"}]}""";
        String other = """
                {"model":"m","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"bye"}]}""";
        assertEquals(hash(Protocol.OPENAI_CHAT, first), hash(Protocol.OPENAI_CHAT, third));
        assertNotEquals(hash(Protocol.OPENAI_CHAT, first), hash(Protocol.OPENAI_CHAT, other));
    }

    /**
     * A turn the codecs do not model (a {@code tool_reference} result, passed through to an Anthropic provider) keeps
     * its conversation on one key: the hash reads bytes, not the canonical model, which could not decode it.
     */
    @Test
    void shouldHashAnOpeningTheCodecsCannotDecode() {
        String opening = """
                {"role":"user","content":"find a tool"},{"role":"assistant","content":[{"type":"tool_use","id":"t1",\
                "name":"ToolSearch","input":{}}]}""";
        String second = "{\"model\":\"m\",\"max_tokens\":9,\"messages\":[" + opening
                + ",{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":"
                + "[{\"type\":\"tool_reference\",\"tool_name\":\"Read\"}]}]}]}";
        String third = second.replace("]}]}]}", "]}]},{\"role\":\"assistant\",\"content\":\"ok\"}]}");
        assertEquals(hash(Protocol.ANTHROPIC, second), hash(Protocol.ANTHROPIC, third));
    }

    @Test
    void shouldFindGeminiContentsAndResponsesInput() {
        String gemini = """
                {"contents":[{"role":"user","parts":[{"text":"hi"}]},{"role":"model","parts":[{"text":"yo"}]}]}""";
        String geminiLater = gemini.replace("]}]}", "]},{\"role\":\"user\",\"parts\":[{\"text\":\"next\"}]}]}");
        assertEquals(hash(Protocol.GEMINI, gemini), hash(Protocol.GEMINI, geminiLater));
        assertEquals(
                hash(Protocol.OPENAI_RESPONSES, "{\"model\":\"m\",\"input\":\"hello\"}"),
                hash(Protocol.OPENAI_RESPONSES, "{\"input\":\"hello\",\"model\":\"m\",\"store\":false}"));
        assertNotEquals(
                hash(Protocol.OPENAI_RESPONSES, "{\"input\":\"hello\"}"),
                hash(Protocol.OPENAI_RESPONSES, "{\"input\":\"goodbye\"}"));
    }

    @Test
    void shouldHashTheWholeBodyWhenThereIsNoConversation() {
        String body = "{\"model\":\"m\"}";
        assertEquals(hash(Protocol.OPENAI_CHAT, body), hash(Protocol.OPENAI_CHAT, body));
        assertNotEquals(hash(Protocol.OPENAI_CHAT, body), hash(Protocol.OPENAI_CHAT, "{\"model\":\"n\"}"));
    }
}
