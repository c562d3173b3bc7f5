package dev.crossbar.codecs.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.BuiltinTool;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.Issuer;
import dev.crossbar.codecs.model.Message;
import dev.crossbar.codecs.model.ResponseFormat;
import dev.crossbar.codecs.model.Role;
import dev.crossbar.codecs.model.SignatureEnvelope;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.model.Tool;
import dev.crossbar.codecs.spi.ClientStreamEncoder;
import dev.crossbar.codecs.testkit.Golden;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicCodecTest {

    private final AnthropicClientCodec client = new AnthropicClientCodec();
    private final AnthropicUpstreamCodec upstream = new AnthropicUpstreamCodec();

    // ---- client side ----------------------------------------------------------------------------

    @Test
    void shouldDecodeCountTokensBodyWithoutMaxTokens() throws Exception {
        ChatRequest r = client.decodeCountTokensRequest(Json.MAPPER.readTree(
                "{\"model\":\"claude-sonnet-4-5\",\"system\":\"s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                        + "\"tools\":[{\"name\":\"t\",\"input_schema\":{\"type\":\"object\"}}],\"stream\":true}"));
        assertNull(r.maxTokens());
        assertEquals(2, r.messages().size());
        assertEquals(1, r.tools().size());
        assertEquals(false, r.stream());
    }

    @Test
    void shouldEncodeCountTokensAnswer() {
        assertEquals("{\"input_tokens\":1234}", new String(client.encodeCountTokens(1234), StandardCharsets.UTF_8));
    }

    @Test
    void shouldEmitOnlyTheErrorEventWhenTheStreamFailsBeforeStarting() {
        ClientStreamEncoder encoder =
                client.streamEncoder(ChatRequest.builder("m").build());
        String sse = encoder.encode(new StreamEvent.Error(ApiError.of(ErrorKind.RATE_LIMIT, "slow down")));
        assertEquals(
                "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}\n\n",
                sse);
        assertEquals("", encoder.encode(new StreamEvent.End()));
    }

    @Test
    void shouldStartTheMessageWhenTheFirstEventIsNotStart() {
        ClientStreamEncoder encoder =
                client.streamEncoder(ChatRequest.builder("claude-x").build());
        String sse = encoder.encode(new StreamEvent.TextDelta("hi"));
        assertTrue(
                sse.startsWith("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_"),
                sse);
        assertTrue(sse.contains("\"model\":\"claude-x\""));
        assertTrue(sse.contains("event: ping\n"));
        assertTrue(sse.endsWith("\"delta\":{\"type\":\"text_delta\",\"text\":\"hi\"}}\n\n"), sse);
    }

    @Test
    void shouldIgnoreEventsAfterTheEnd() {
        ClientStreamEncoder encoder =
                client.streamEncoder(ChatRequest.builder("m").build());
        encoder.encode(new StreamEvent.Start("msg_1", "m", null));
        assertTrue(encoder.encode(new StreamEvent.End())
                .endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
        assertEquals("", encoder.encode(new StreamEvent.TextDelta("late")));
    }

    @ParameterizedTest
    @CsvSource({
        "STOP, end_turn",
        "STOP_SEQUENCE, stop_sequence",
        "LENGTH, max_tokens",
        "TOOL_CALLS, tool_use",
        "CONTENT_FILTER, refusal",
        "OTHER, end_turn"
    })
    void shouldMapFinishReasonToStopReason(FinishReason reason, String stopReason) {
        assertEquals(stopReason, AnthropicWire.stopReason(reason));
    }

    // ---- upstream side --------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
        "end_turn, STOP",
        "stop_sequence, STOP_SEQUENCE",
        "max_tokens, LENGTH",
        "model_context_window_exceeded, LENGTH",
        "tool_use, TOOL_CALLS",
        "refusal, CONTENT_FILTER",
        "pause_turn, OTHER",
        "something_new, STOP"
    })
    void shouldMapStopReasonToFinishReason(String stopReason, FinishReason reason) {
        assertEquals(reason, AnthropicWire.finishReason(stopReason));
    }

    @Test
    void shouldRefuseStructuredOutputTogetherWithTools() {
        ChatRequest r = ChatRequest.builder("m")
                .messages(List.of(Message.text(Role.USER, "hi")))
                .tools(List.of(new Tool("t", null, null)))
                .responseFormat(new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, false))
                .build();
        CodecException e = assertThrows(CodecException.class, () -> upstream.encodeRequest(r, "claude"));
        assertEquals(400, e.error().status());
        assertEquals("response_format", e.error().param());
    }

    @Test
    void shouldRefuseStructuredOutputWithARootThatIsNotAnObject() throws Exception {
        ChatRequest r = ChatRequest.builder("m")
                .messages(List.of(Message.text(Role.USER, "hi")))
                .responseFormat(new ResponseFormat(
                        ResponseFormat.Type.JSON_SCHEMA, "list", Json.MAPPER.readTree("{\"type\":\"array\"}"), true))
                .build();
        assertThrows(CodecException.class, () -> upstream.encodeRequest(r, "claude"));
    }

    @Test
    void shouldRefuseAToolResultWithoutTheIdOfItsCall() {
        ChatRequest r = ChatRequest.builder("m")
                .messages(List.of(new Message(Role.TOOL, List.of(new ContentPart.ToolResult(null, "f", "x", false)))))
                .build();
        CodecException e = assertThrows(CodecException.class, () -> upstream.encodeRequest(r, "claude"));
        assertEquals("messages[0]", e.error().param());
    }

    @Test
    void shouldRefuseAnImageInAnAssistantMessage() {
        ChatRequest r = ChatRequest.builder("m")
                .messages(List.of(new Message(Role.ASSISTANT, List.of(ContentPart.Image.remote("https://x/y.png")))))
                .build();
        assertThrows(CodecException.class, () -> upstream.encodeRequest(r, "claude"));
    }

    @Test
    void shouldGiveIdsToToolCallsThatHaveNone() throws Exception {
        ChatRequest r = ChatRequest.builder("m")
                .messages(List.of(
                        Message.text(Role.USER, "hi"),
                        new Message(Role.ASSISTANT, List.of(new ContentPart.ToolCall(null, "f", "{}")))))
                .build();
        JsonNode body = Json.MAPPER.readTree(upstream.encodeRequest(r, "claude").body());
        assertEquals(
                "toolu_cb_0",
                body.path("messages").path(1).path("content").path(0).path("id").asText());
    }

    @Test
    void shouldFailTheStreamOnAMalformedEvent() {
        List<StreamEvent> events = Golden.decode(upstream::streamDecoder, bytes("""
                        event: message_start
                        data: {"type":"message_start","message":{"id":"m","model":"c"}}

                        event: content_block_delta
                        data: {not json

                        event: message_stop
                        data: {"type":"message_stop"}

                        """));
        assertEquals(2, events.size());
        StreamEvent.Error error = assertInstanceOf(StreamEvent.Error.class, events.get(1));
        assertEquals(502, error.error().status());
    }

    @Test
    void shouldEndWithStopWhenMessageStopComesWithoutMessageDelta() {
        List<StreamEvent> events = Golden.decode(upstream::streamDecoder, bytes("""
                        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":"Hi"}}

                        data: {"type":"message_stop"}

                        data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":"late"}}

                        """));
        assertEquals(
                List.of(
                        new StreamEvent.Start(null, null, null),
                        new StreamEvent.TextDelta("Hi"),
                        new StreamEvent.Finish(FinishReason.STOP, null),
                        new StreamEvent.UsageUpdate(new dev.crossbar.codecs.model.Usage(0, 0, 0, 0)),
                        new StreamEvent.End()),
                events);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---- issue 15: server tools, tool search, signatures ----------------------------------------------

    @Test
    void shouldNoteServerToolsAndTheirBlocksAsBuiltinTools() throws Exception {
        ChatRequest r = client.decodeRequest(
                Json.MAPPER.readTree("{\"model\":\"m\",\"max_tokens\":10,\"messages\":["
                        + "{\"role\":\"user\",\"content\":\"news?\"},"
                        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"server_tool_use\",\"id\":\"s1\",\"name\":\"web_search\",\"input\":{}},"
                        + "{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"s1\",\"content\":[]},{\"type\":\"text\",\"text\":\"None.\"}]},"
                        + "{\"role\":\"user\",\"content\":\"thanks\"}],"
                        + "\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"},"
                        + "{\"name\":\"get_time\",\"input_schema\":{\"type\":\"object\"},\"defer_loading\":true}]}"),
                null,
                false);
        assertEquals(
                List.of(
                        new BuiltinTool("web_search_20250305", "tools[0]"),
                        new BuiltinTool("server_tool_use", "messages[1].content[0]"),
                        new BuiltinTool("web_search_tool_result", "messages[1].content[1]")),
                r.builtinTools());
        assertEquals(List.of("get_time"), r.tools().stream().map(Tool::name).toList(), "a deferred tool is a tool");
        assertEquals(List.of(new ContentPart.Text("None.")), r.messages().get(1).parts());
    }

    @Test
    void shouldNameAReferencedToolTheRequestDoesNotDefine() throws Exception {
        ChatRequest r = client.decodeRequest(
                Json.MAPPER.readTree(
                        "{\"model\":\"m\",\"max_tokens\":10,\"messages\":["
                                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"ToolSearch\",\"input\":{}}]},"
                                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":["
                                + "{\"type\":\"tool_reference\",\"tool_name\":\"Gone\"},{\"type\":\"text\",\"text\":\"done\"}]}]}]}"),
                null,
                false);
        ContentPart.ToolResult result =
                (ContentPart.ToolResult) r.messages().get(1).parts().get(0);
        assertEquals("<functions>\n<function>{\"name\":\"Gone\"}</function>\n</functions>\ndone", result.content());
    }

    @Test
    void shouldSealOtherFamiliesSignaturesForAnAnthropicClientAndOpenThemBack() throws Exception {
        ChatResponse reply = new ChatResponse(
                "msg_1",
                "m",
                List.of(
                        new ContentPart.Thinking("mine", "a-sig", Issuer.ANTHROPIC),
                        new ContentPart.Thinking("", "g-sig", Issuer.GEMINI),
                        new ContentPart.Thinking("summary", "rs_1 gAAAA", Issuer.OPENAI),
                        new ContentPart.RedactedThinking("withheld", Issuer.ANTHROPIC),
                        new ContentPart.Text("answer")),
                FinishReason.STOP,
                null,
                null,
                0);
        JsonNode content = Json.MAPPER
                .readTree(client.encodeResponse(reply, ChatRequest.builder("m").build()))
                .get("content");
        assertEquals("a-sig", content.get(0).path("signature").asText(), "Anthropic's own goes as it came");
        assertTrue(content.get(1).path("signature").asText().startsWith(SignatureEnvelope.SEALED_PREFIX));
        assertEquals("withheld", content.get(3).path("data").asText());
        ChatRequest replay = client.decodeRequest(
                Json.MAPPER.readTree(
                        "{\"model\":\"m\",\"max_tokens\":10,\"messages\":[{\"role\":\"assistant\",\"content\":"
                                + content + "}]}"),
                null,
                false);
        assertEquals(reply.content(), replay.messages().get(0).parts());

        String body = new String(upstream.encodeRequest(replay, "m").body(), StandardCharsets.UTF_8);
        assertTrue(body.contains("a-sig") && body.contains("withheld"), body);
        for (String foreign : List.of("g-sig", "rs_1", "summary")) {
            assertFalse(body.contains(foreign), foreign + " went to Anthropic: " + body);
        }
    }
}
