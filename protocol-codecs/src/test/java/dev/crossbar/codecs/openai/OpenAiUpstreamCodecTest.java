package dev.crossbar.codecs.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.model.Message;
import dev.crossbar.codecs.model.Role;
import dev.crossbar.codecs.model.StreamEvent;
import dev.crossbar.codecs.responses.OpenAiResponsesClientCodec;
import dev.crossbar.codecs.spi.UpstreamRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiUpstreamCodecTest {

    private final OpenAiUpstreamCodec codec = new OpenAiUpstreamCodec(OpenAiDialect.OPENAI);

    @Test
    void shouldReportTheUpstreamsOwnWordsWhenA200CarriesAnError() {
        byte[] body = "{\"error\":{\"message\":\"model overloaded\",\"type\":\"server_error\"}}"
                .getBytes(StandardCharsets.UTF_8);
        CodecException e = assertThrows(CodecException.class, () -> codec.decodeResponse(body));
        assertEquals("model overloaded", e.error().message());
        assertEquals(ErrorKind.BAD_GATEWAY, e.error().kind());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "<html>oops</html>",
                "[]",
                "{}",
                "{\"choices\":[]}",
                "{\"choices\":[{\"index\":0}]}",
                "{\"choices\":[{\"message\":{\"tool_calls\":[{\"id\":\"c\",\"function\":{}}]}}]}"
            })
    void shouldAnswer502WhenASuccessfulBodyIsNotAChatCompletion(String body) {
        CodecException e =
                assertThrows(CodecException.class, () -> codec.decodeResponse(body.getBytes(StandardCharsets.UTF_8)));
        assertEquals(502, e.error().status());
    }

    @Test
    void shouldSendTheChatCompletionsPathRelativeToTheVersionedBaseUrl() {
        UpstreamRequest request = codec.encodeRequest(
                ChatRequest.builder("m").messages(List.of(Message.text(Role.USER, "hi"))).stream(true)
                        .build(),
                "gpt-4o");
        assertEquals("/chat/completions", request.path());
        assertTrue(request.stream());
    }

    @Test
    void shouldIgnoreBytesAfterTheStreamEnded() {
        var decoder = codec.streamDecoder();
        byte[] all = """
                 data: {"id":"a","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}]}

                 data: [DONE]

                 data: {"id":"a","choices":[{"index":0,"delta":{"content":"late"}}]}

                 """.getBytes(StandardCharsets.UTF_8);
        List<StreamEvent> events = StreamFeed.decode(decoder, all);
        assertEquals(
                List.of(
                        new StreamEvent.Start("a", null, null),
                        new StreamEvent.TextDelta("x"),
                        new StreamEvent.Finish(FinishReason.STOP, null),
                        new StreamEvent.End()),
                events);
    }

    @Test
    void shouldReportAStreamWithNothingButDoneAsBroken() {
        List<StreamEvent> events =
                StreamFeed.decode(codec.streamDecoder(), "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(1, events.size());
        assertTrue(events.get(0) instanceof StreamEvent.Error e && e.error().status() == 502);
    }

    @Test
    void shouldReportAnEmptyStreamAsCut() {
        List<StreamEvent> events = StreamFeed.decode(codec.streamDecoder(), new byte[0]);
        assertTrue(events.get(0) instanceof StreamEvent.Error e && e.error().kind() == ErrorKind.BAD_GATEWAY);
    }

    @ParameterizedTest
    @EnumSource(ErrorKind.class)
    void shouldWriteEveryErrorKindInOpenAisShape(ErrorKind kind) {
        ApiError error = new ApiError(kind.status(), kind, "why", "messages[0]", -1);
        for (byte[] body : Stream.of(
                        new OpenAiChatClientCodec().encodeError(error),
                        new OpenAiResponsesClientCodec().encodeError(error))
                .toList()) {
            JsonNode e = Golden.parse(body).get("error");
            assertEquals("why", e.get("message").asText());
            assertEquals(OpenAiErrors.type(kind), e.get("type").asText());
            assertEquals("messages[0]", e.get("param").asText());
            assertTrue(e.has("code"));
            // Read back by our own upstream decoder, the status and kind survive.
            assertEquals(
                    kind,
                    ErrorKind.fromStatus(
                            codec.decodeError(kind.status(), body).error().status()));
        }
    }
}
