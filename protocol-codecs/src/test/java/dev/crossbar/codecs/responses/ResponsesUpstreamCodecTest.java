package dev.crossbar.codecs.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.Message;
import dev.crossbar.codecs.model.Role;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.codecs.spi.UpstreamError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponsesUpstreamCodecTest {

    private final OpenAiResponsesUpstreamCodec codec = new OpenAiResponsesUpstreamCodec();

    @Test
    void shouldRefuseStopSequencesWhichTheResponsesApiDoesNotHave() {
        ChatRequest r = ChatRequest.builder("m")
                .messages(List.of(Message.text(Role.USER, "hi")))
                .stop(List.of("END"))
                .build();
        ApiError e = assertThrows(CodecException.class, () -> codec.encodeRequest(r, "m"))
                .error();
        assertEquals(400, e.status());
        assertEquals("stop", e.param());
        assertTrue(e.message().contains("OpenAI Responses"), e.message());
    }

    @Test
    void shouldRefuseWhatTheResponsesApiCannotSay() {
        assertRefused(new Message(Role.TOOL, List.of(new ContentPart.ToolResult(null, "f", "x", false))), "id");
        assertRefused(
                new Message(Role.ASSISTANT, List.of(ContentPart.Image.remote("https://example.com/a.png"))), "image");
        assertRefused(
                new Message(Role.SYSTEM, List.of(ContentPart.Image.remote("https://example.com/a.png"))), "system");
        assertRefused(new Message(Role.USER, List.of(new ContentPart.ToolCall("c", "f", "{}"))), "assistant");
    }

    private void assertRefused(Message m, String words) {
        ChatRequest r = ChatRequest.builder("m").messages(List.of(m)).build();
        ApiError e = assertThrows(CodecException.class, () -> codec.encodeRequest(r, "m"))
                .error();
        assertEquals(400, e.status());
        assertEquals("messages[0]", e.param());
        assertTrue(e.message().contains(words), e.message());
    }

    @Test
    void shouldThrowAFailedResponseWithItsError() {
        ApiError e = assertThrows(
                        CodecException.class,
                        () -> codec.decodeResponse(bytes("{\"id\":\"resp_1\",\"status\":\"failed\",\"output\":[],"
                                + "\"error\":{\"code\":\"rate_limit_exceeded\",\"message\":\"slow down\"}}")))
                .error();
        assertEquals(429, e.status());
        assertEquals(ErrorKind.RATE_LIMIT, e.kind());
        assertEquals("slow down", e.message());
    }

    @Test
    void shouldRefuseABodyThatIsNotAResponseAsABadGateway() {
        for (String body : List.of("{\"id\":\"x\"}", "[]", "not json", "{\"error\":{\"message\":\"boom\"}}")) {
            ApiError e = assertThrows(CodecException.class, () -> codec.decodeResponse(bytes(body)), body)
                    .error();
            assertEquals(502, e.status(), body);
            assertThrows(CodecException.class, () -> codec.usageOf(bytes(body)), body);
        }
    }

    @Test
    void shouldReadOnlyTheUsageOfAResponsePassedThrough() {
        assertEquals(
                new Usage(100, 20, 30, 0, 0, 5),
                codec.usageOf(bytes("{\"id\":\"resp_1\",\"status\":\"completed\",\"error\":null,\"output\":[],"
                        + "\"usage\":{\"input_tokens\":100,\"input_tokens_details\":{\"cached_tokens\":30},"
                        + "\"output_tokens\":20,\"output_tokens_details\":{\"reasoning_tokens\":5}}}")));
    }

    @Test
    void shouldReadErrorsInOpenAisShape() {
        UpstreamError e = codec.decodeError(
                429,
                bytes("{\"error\":{\"message\":\"Rate limit reached. Please try again in 2.5s.\","
                        + "\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}"));
        assertEquals(429, e.error().status());
        assertTrue(
                e.error().message().startsWith("Rate limit reached"), e.error().message());
        assertEquals(2500, e.error().retryAfterMs());
        assertEquals(
                502,
                codec.decodeError(502, bytes("<html>bad gateway</html>"))
                        .error()
                        .status());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
