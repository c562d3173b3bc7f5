package dev.crossbar.codecs.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.Message;
import dev.crossbar.codecs.model.Role;
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
}
