package dev.crossbar.codecs.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import dev.crossbar.codecs.model.Role;
import dev.crossbar.codecs.model.SignatureEnvelope;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.spi.ClientStreamEncoder;
import dev.crossbar.codecs.testkit.Golden;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeminiCodecTest {

    private final GeminiClientCodec client = new GeminiClientCodec();
    private final GeminiUpstreamCodec upstream = new GeminiUpstreamCodec();

    @ParameterizedTest
    @CsvSource({
        "STOP, STOP",
        "FINISH_REASON_UNSPECIFIED, STOP",
        "MAX_TOKENS, LENGTH",
        "SAFETY, CONTENT_FILTER",
        "RECITATION, CONTENT_FILTER",
        "BLOCKLIST, CONTENT_FILTER",
        "PROHIBITED_CONTENT, CONTENT_FILTER",
        "SPII, CONTENT_FILTER",
        "LANGUAGE, CONTENT_FILTER",
        "IMAGE_SAFETY, CONTENT_FILTER",
        "OTHER, OTHER",
        "MALFORMED_FUNCTION_CALL, OTHER",
        "UNEXPECTED_TOOL_CALL, OTHER",
        "TOO_MANY_TOOL_CALLS, OTHER",
        "MISSING_THOUGHT_SIGNATURE, OTHER",
        "BRAND_NEW, STOP"
    })
    void shouldMapGeminiFinishReason(String gemini, FinishReason canonical) {
        assertEquals(canonical, GeminiWire.finishReason(gemini));
    }

    @ParameterizedTest
    @CsvSource({
        "STOP, STOP",
        "STOP_SEQUENCE, STOP",
        "TOOL_CALLS, STOP",
        "LENGTH, MAX_TOKENS",
        "CONTENT_FILTER, SAFETY",
        "OTHER, OTHER"
    })
    void shouldMapCanonicalFinishReasonForGeminiClients(FinishReason canonical, String gemini) {
        assertEquals(gemini, GeminiWire.finishReason(canonical));
    }

    @ParameterizedTest
    @CsvSource({
        "https://x.com/a.PNG, image/png",
        "https://x.com/a.gif?x=1, image/gif",
        "https://x.com/a.webp#f, image/webp",
        "https://x.com/photo, image/jpeg",
        "https://x.com/dir.v2/photo, image/jpeg",
        "gs://bucket/a.heic, image/heic"
    })
    void shouldGuessTheImageTypeFromTheUrl(String url, String mime) {
        assertEquals(mime, GeminiRequestWriter.guessMime(url));
    }

    @Test
    void shouldRefuseAToolResultThatAnswersNoKnownCall() {
        ChatRequest r = ChatRequest.builder("m")
                .messages(List.of(
                        new Message(Role.TOOL, List.of(new ContentPart.ToolResult("call_x", null, "x", false)))))
                .build();
        CodecException e = assertThrows(CodecException.class, () -> upstream.encodeRequest(r, "gemini-2.5-pro"));
        assertEquals(400, e.error().status());
        assertEquals("messages[0]", e.error().param());
    }

    @Test
    void shouldTakeTheModelFromTheBodyWhenThePathHasNone() throws Exception {
        ChatRequest r = client.decodeRequest(
                Json.MAPPER.readTree(
                        "{\"model\":\"models/gemini-2.5-pro\",\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}"),
                null,
                false);
        assertEquals("gemini-2.5-pro", r.model());
    }

    @Test
    void shouldPairResponsesWithoutIdsWithTheEarliestUnansweredCallOfTheirName() throws Exception {
        ChatRequest r = client.decodeRequest(Json.MAPPER.readTree("""
                {"contents":[
                  {"role":"model","parts":[{"functionCall":{"name":"f","args":{}}},{"functionCall":{"name":"f","args":{"n":2}}}]},
                  {"role":"user","parts":[{"functionResponse":{"name":"f","response":{"result":"one"}}},
                                          {"functionResponse":{"name":"f","response":{"result":"two"}}},
                                          {"functionResponse":{"name":"g","response":{"result":"orphan"}}}]}]}
                """), "g", false);
        List<ContentPart> results = r.messages().get(1).parts();
        assertEquals("call_0", ((ContentPart.ToolResult) results.get(0)).toolCallId());
        assertEquals("call_1", ((ContentPart.ToolResult) results.get(1)).toolCallId());
        assertEquals("call_2", ((ContentPart.ToolResult) results.get(2)).toolCallId());
    }

    @Test
    void shouldFailTheStreamOnAMalformedChunkAndIgnoreTheRest() {
        List<StreamEvent> events = Golden.decode(upstream::streamDecoder, bytes("""
                        data: {"candidates":[{"content":{"parts":[{"text":"a"}]}}]}

                        data: {oops

                        data: {"candidates":[{"content":{"parts":[{"text":"b"}]},"finishReason":"STOP"}]}

                        """));
        assertEquals(3, events.size());
        assertEquals(
                502,
                assertInstanceOf(StreamEvent.Error.class, events.get(2)).error().status());
    }

    @Test
    void shouldEmitTheErrorChunkAloneWhenTheStreamFailsFirst() {
        ClientStreamEncoder encoder =
                client.streamEncoder(ChatRequest.builder("m").build());
        assertEquals(
                "data: {\"error\":{\"code\":504,\"message\":\"too slow\",\"status\":\"DEADLINE_EXCEEDED\"}}\n\n",
                encoder.encode(new StreamEvent.Error(ApiError.of(ErrorKind.TIMEOUT, "too slow"))));
        assertEquals("", encoder.encode(new StreamEvent.End()));
    }

    @Test
    void shouldEndAnEmptyStreamWithOneFinishChunk() {
        ClientStreamEncoder encoder =
                client.streamEncoder(ChatRequest.builder("gemini-x").build());
        String sse = encoder.encode(new StreamEvent.Start(null, null, null)) + encoder.encode(new StreamEvent.End());
        assertEquals(
                "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\"}],\"role\":\"model\"},"
                        + "\"finishReason\":\"STOP\",\"index\":0}],\"modelVersion\":\"gemini-x\"}\n\n",
                sse);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---- issue 15: built-in tools, function responses, signatures ------------------------------------

    @Test
    void shouldNoteBuiltinToolsAndCodeExecutionHistoryForTheGatewaysPolicy() throws Exception {
        ChatRequest r = client.decodeRequest(
                Json.MAPPER.readTree(
                        "{\"contents\":["
                                + "{\"role\":\"user\",\"parts\":[{\"text\":\"run it\"}]},"
                                + "{\"role\":\"model\",\"parts\":[{\"executableCode\":{\"language\":\"PYTHON\",\"code\":\"1\"}},"
                                + "{\"codeExecutionResult\":{\"outcome\":\"OUTCOME_OK\"}},{\"text\":\"1\"}]}],"
                                + "\"tools\":[{\"googleSearch\":{}},{\"functionDeclarations\":[{\"name\":\"f\"}],\"codeExecution\":{}}]}"),
                "gemini-2.5-flash",
                false);
        assertEquals(
                List.of(
                        new BuiltinTool("googleSearch", "tools[0].googleSearch"),
                        new BuiltinTool("codeExecution", "tools[1].codeExecution"),
                        new BuiltinTool("executableCode", "contents[1].parts[0]"),
                        new BuiltinTool("codeExecutionResult", "contents[1].parts[1]")),
                r.builtinTools());
        assertEquals(List.of("f"), r.tools().stream().map(t -> t.name()).toList());
        assertEquals(List.of(new ContentPart.Text("1")), r.messages().get(1).parts());
    }

    /**
     * Regression: a functionResponse of {name, content} (the Vercel AI SDK's shape) reached other providers as
     * the object's JSON text instead of the tool's output.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{'name':'f','content':'sunny'}|sunny|false",
                "{'content':'sunny'}|sunny|false",
                "{'output':'file text'}|file text|false",
                "{'result':'42'}|42|false",
                "{'name':'f','content':{'temp':21}}|{\"temp\":21}|false",
                "{'name':'f','content':[1,2]}|[1,2]|false",
                "{'name':'f','error':'no such city'}|no such city|true",
                "{'name':'f','content':'a','extra':1}|{\"name\":\"f\",\"content\":\"a\",\"extra\":1}|false",
                "{'content':'a','output':'b'}|{\"content\":\"a\",\"output\":\"b\"}|false",
                "{'temp':21}|{\"temp\":21}|false"
            })
    void shouldUnwrapAFunctionResponseThatWrapsOneValue(String response, String content, boolean isError)
            throws Exception {
        ChatRequest r = client.decodeRequest(
                Json.MAPPER.readTree(("{'contents':[{'role':'model','parts':[{'functionCall':{'name':'f','args':{}}}]},"
                                + "{'role':'user','parts':[{'functionResponse':{'name':'f','response':" + response
                                + "}}]}]}")
                        .replace('\'', '"')),
                "m",
                false);
        ContentPart.ToolResult result =
                (ContentPart.ToolResult) r.messages().get(1).parts().get(0);
        assertEquals(content, result.content());
        assertEquals(isError, result.isError());
    }

    @Test
    void shouldSealOtherFamiliesSignaturesAndRedactedThinkingForAGeminiClientAndOpenThemBack() throws Exception {
        ChatResponse reply = new ChatResponse(
                "r1",
                "m",
                List.of(
                        new ContentPart.Thinking("plan", "anthropic-sig", Issuer.ANTHROPIC),
                        new ContentPart.RedactedThinking("withheld", Issuer.ANTHROPIC),
                        new ContentPart.Thinking("", "gemini-sig", Issuer.GEMINI),
                        new ContentPart.ToolCall("c1", "f", "{}")),
                FinishReason.TOOL_CALLS,
                null,
                null,
                0);
        JsonNode wire = Json.MAPPER.readTree(
                client.encodeResponse(reply, ChatRequest.builder("m").build()));
        JsonNode parts = wire.at("/candidates/0/content/parts");
        assertTrue(parts.get(0).path("thoughtSignature").asText().startsWith(SignatureEnvelope.SEALED_PREFIX));
        assertEquals("gemini-sig", parts.get(2).path("thoughtSignature").asText(), "its own family's goes as it came");

        // The client replays its model turn: each signature comes back to its issuer.
        ChatRequest replay = client.decodeRequest(
                Json.MAPPER.readTree("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"q\"}]},"
                        + "{\"role\":\"model\",\"parts\":" + parts + "}]}"),
                "m",
                false);
        assertEquals(reply.content(), replay.messages().get(1).parts());
    }

    @Test
    void shouldReplayToGeminiOnlyTheThoughtsGeminiSigned() throws Exception {
        ChatRequest r = ChatRequest.builder("m")
                .messages(List.of(
                        Message.text(Role.USER, "q"),
                        new Message(
                                Role.ASSISTANT,
                                List.of(
                                        new ContentPart.Thinking("mine", "g-sig", Issuer.GEMINI),
                                        new ContentPart.Thinking("theirs", "a-sig", Issuer.ANTHROPIC),
                                        new ContentPart.Thinking("openai's", "rs_1 enc", Issuer.OPENAI),
                                        new ContentPart.RedactedThinking("withheld", Issuer.ANTHROPIC),
                                        new ContentPart.Text("answer")))))
                .build();
        String body = new String(upstream.encodeRequest(r, "m").body(), StandardCharsets.UTF_8);
        assertTrue(body.contains("g-sig"), body);
        for (String foreign : List.of("a-sig", "theirs", "rs_1", "withheld")) {
            assertFalse(body.contains(foreign), foreign + " went to Gemini: " + body);
        }
    }
}
