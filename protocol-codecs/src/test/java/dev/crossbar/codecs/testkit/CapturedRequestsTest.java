package dev.crossbar.codecs.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.anthropic.AnthropicClientCodec;
import dev.crossbar.codecs.gemini.GeminiClientCodec;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.BuiltinTool;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.Issuer;
import dev.crossbar.codecs.model.Message;
import dev.crossbar.codecs.model.Role;
import dev.crossbar.codecs.model.Tool;
import dev.crossbar.codecs.openai.OpenAiChatClientCodec;
import dev.crossbar.codecs.responses.OpenAiResponsesClientCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The requests real clients sent (load-tests/agent-tests/captured, recorded from the pinned Claude Code,
 * Codex CLI, Gemini CLI and Vercel AI SDK) decode to what a provider of another protocol should get.
 */
class CapturedRequestsTest {

    private static final Path CAPTURED = Path.of("../load-tests/agent-tests/captured");

    @Test
    void shouldFlattenCodexsNamespaceGroupAndNoteItsWebSearchAsABuiltinTool() throws Exception {
        ChatRequest r = new OpenAiResponsesClientCodec().decodeRequest(body("codex.default-tools.json"), null, false);
        Tool close = tool(r, "multi_agent_v1__close_agent");
        assertEquals("multi_agent_v1", close.namespace());
        assertEquals("close_agent", close.localName());
        assertTrue(r.tools().stream().anyMatch(t -> t.name().equals("exec_command") && t.namespace() == null));
        assertEquals(1, r.builtinTools().size(), r.builtinTools().toString());
        BuiltinTool webSearch = r.builtinTools().get(0);
        assertEquals("web_search", webSearch.type());
        assertEquals(
                "web_search",
                body("codex.default-tools.json")
                        .at("/" + webSearch.param().replace("[", "/").replace("]", "") + "/type")
                        .asText());
    }

    @Test
    void shouldReadCodexsToolRoundTrip() throws Exception {
        ChatRequest r =
                new OpenAiResponsesClientCodec().decodeRequest(body("codex.function-call-output.json"), null, false);
        Message last = r.messages().get(r.messages().size() - 1);
        assertEquals(Role.TOOL, last.role());
        ContentPart.ToolResult result = (ContentPart.ToolResult) last.parts().get(0);
        assertEquals("exec_command", result.name());
        assertTrue(r.builtinTools().isEmpty());
    }

    /**
     * Claude Code's ToolSearch answers with tool_reference blocks; a provider without tool search gets the
     * referenced tool's definition, as ToolSearch itself answers when the provider does not search.
     */
    @Test
    void shouldTurnClaudeCodesToolReferenceIntoTheToolsDefinition() throws Exception {
        ChatRequest r = new AnthropicClientCodec().decodeRequest(body("claude-code.tool-reference.json"), null, false);
        Message last = r.messages().get(r.messages().size() - 1);
        ContentPart.ToolResult result = (ContentPart.ToolResult) last.parts().get(0);
        assertTrue(result.content().startsWith("<functions>\n<function>{"), result.content());
        JsonNode definition = Json.MAPPER.readTree(result.content()
                .substring("<functions>\n<function>".length(), result.content().indexOf("</function>")));
        Tool webFetch = tool(r, "WebFetch");
        assertEquals("WebFetch", definition.path("name").asText());
        assertEquals(webFetch.description(), definition.path("description").asText());
        assertEquals(webFetch.parameters(), definition.path("parameters"));
        tool(r, "DeferredToolPlaceholder"); // deferred tools are offered as ordinary ones
        assertTrue(r.messages().stream().skip(1).anyMatch(m -> m.role() == Role.SYSTEM), "mid-conversation system");
    }

    @Test
    void shouldReadClaudeCodesFirstTurn() throws Exception {
        ChatRequest r = new AnthropicClientCodec().decodeRequest(body("claude-code.first-turn.json"), null, false);
        assertTrue(r.builtinTools().isEmpty());
        assertEquals(null, r.thinkingBudget(), "adaptive thinking has no budget");
    }

    @Test
    void shouldReadGeminiClisFunctionResponseAndItsSkipSignature() throws Exception {
        ChatRequest r = gemini("gemini-cli.function-response.json");
        List<ContentPart> model = r.messages().stream()
                .filter(m -> m.role() == Role.ASSISTANT)
                .findFirst()
                .orElseThrow()
                .parts();
        assertEquals(new ContentPart.Thinking("", "skip_thought_signature_validator", Issuer.GEMINI), model.get(0));
        ContentPart.ToolResult result = (ContentPart.ToolResult)
                r.messages().get(r.messages().size() - 1).parts().get(0);
        assertEquals("crossbar-scratch-token-7f3a\n", result.content());
    }

    /** Regression: the AI SDK's {name, content} reached other providers as that object's JSON text. */
    @Test
    void shouldUnwrapTheAiSdksFunctionResponse() throws Exception {
        ChatRequest r = gemini("ai-sdk.google.tool-result.json");
        ContentPart.ToolResult result =
                (ContentPart.ToolResult) r.messages().get(2).parts().get(0);
        assertEquals("sunny in Paris in spring", result.content());
        assertFalse(result.isError());
    }

    @Test
    void shouldReadTheAiSdksOtherToolLoops() throws Exception {
        new AnthropicClientCodec().decodeRequest(body("ai-sdk.anthropic.tool-result.json"), null, false);
        new OpenAiChatClientCodec().decodeRequest(body("ai-sdk.openai-chat.tool-result.json"), null, false);
    }

    /** The codec reads past the reference: the gateway resolves it before decoding (or the provider does). */
    @Test
    void shouldReadPastTheAiSdksItemReference() throws Exception {
        ChatRequest r = new OpenAiResponsesClientCodec()
                .decodeRequest(body("ai-sdk.openai-responses.second-turn.json"), null, false);
        assertEquals(2, r.messages().size());
        assertTrue(r.messages().stream().allMatch(m -> m.role() == Role.USER));
    }

    private static ChatRequest gemini(String file) throws IOException {
        JsonNode captured = captured(file);
        String path = captured.path("path").asText();
        String model = path.substring(path.lastIndexOf('/') + 1, path.indexOf(':', path.lastIndexOf('/')));
        return new GeminiClientCodec()
                .decodeRequest(captured.get("body"), model, path.contains(":streamGenerateContent"));
    }

    private static Tool tool(ChatRequest r, String name) {
        return r.tools().stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no tool " + name));
    }

    private static JsonNode body(String file) throws IOException {
        return captured(file).get("body");
    }

    private static JsonNode captured(String file) throws IOException {
        return Json.MAPPER.readTree(Files.readString(CAPTURED.resolve(file)));
    }
}
