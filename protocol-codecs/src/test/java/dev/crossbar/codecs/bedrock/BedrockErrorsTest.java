package dev.crossbar.codecs.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crossbar.codecs.model.ChatRequest;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.Message;
import dev.crossbar.codecs.model.ResponseFormat;
import dev.crossbar.codecs.model.Role;
import dev.crossbar.codecs.spi.UpstreamError;
import dev.crossbar.codecs.spi.UpstreamError.Cause;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BedrockErrorsTest {

    private final BedrockUpstreamCodec codec = new BedrockUpstreamCodec();

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "429, ThrottlingException, RATE_LIMITED",
        "400, ValidationException, REQUEST",
        "403, AccessDeniedException, KEY_INVALID",
        "403, UnrecognizedClientException, KEY_INVALID",
        "403, InvalidSignatureException, KEY_INVALID",
        "403, ExpiredTokenException, KEY_INVALID",
        "503, ServiceUnavailableException, PROVIDER_FAULT",
        "429, ModelNotReadyException, PROVIDER_FAULT",
        "400, ServiceQuotaExceededException, RATE_LIMITED",
        "404, ResourceNotFoundException, REQUEST",
        "500, InternalServerException, PROVIDER_FAULT",
    })
    void shouldMapBedrockErrorTypesToCauses(int status, String type, Cause cause) {
        String body = "{\"__type\":\"com.amazon.coral.service#" + type + ":http://internal.amazon.com/\","
                + "\"message\":\"why it failed\"}";
        UpstreamError e = codec.decodeError(status, body.getBytes(StandardCharsets.UTF_8));
        assertEquals(cause, e.cause());
        assertEquals(type, e.code());
        assertEquals(status, e.error().status());
        assertEquals("why it failed", e.error().message());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "400, ServiceQuotaExceededException, RATE_LIMITED",
        "429, ModelNotReadyException, PROVIDER_FAULT",
        "400, ValidationException, REQUEST",
        "403, AccessDeniedException, KEY_INVALID",
    })
    void shouldReadTheTypeFromTheHeaderWhenTheBodyHasNone(int status, String type, Cause cause) {
        String header = type + ":http://internal.amazon.com/coral/com.amazon.bedrock/";
        UpstreamError e = codec.decodeError(
                status,
                "{\"message\":\"why it failed\"}".getBytes(StandardCharsets.UTF_8),
                name -> "x-amzn-ErrorType".equalsIgnoreCase(name) ? header : null);
        assertEquals(cause, e.cause());
        assertEquals(type, e.code());
        assertEquals("why it failed", e.error().message());
    }

    @Test
    void shouldPreferTheBodysTypeAndReadTheHeaderForABodyThatIsNotJson() {
        String body = "{\"__type\":\"ThrottlingException\",\"message\":\"m\"}";
        UpstreamError both = codec.decodeError(
                429, body.getBytes(StandardCharsets.UTF_8), name -> "ModelNotReadyException:http://x/");
        assertEquals(Cause.RATE_LIMITED, both.cause());
        UpstreamError text = codec.decodeError(
                400, "quota".getBytes(StandardCharsets.UTF_8), name -> "ServiceQuotaExceededException:http://x/");
        assertEquals(Cause.RATE_LIMITED, text.cause());
        assertEquals("quota", text.error().message());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"403, KEY_INVALID", "429, RATE_LIMITED", "400, REQUEST", "503, PROVIDER_FAULT"})
    void shouldFallBackOnTheStatusWhenTheBodyNamesNoType(int status, Cause cause) {
        UpstreamError e = codec.decodeError(status, "{\"Message\":\"m\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(cause, e.cause());
        assertEquals("m", e.error().message());
    }

    @Test
    void shouldReadAnyGarbageAsATruthfulError() {
        UpstreamError e = codec.decodeError(502, "<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8));
        assertEquals(502, e.error().status());
        assertEquals("<html>bad gateway</html>", e.error().message());
        assertEquals(
                "upstream returned HTTP 500",
                codec.decodeError(500, new byte[0]).error().message());
    }

    @Test
    void shouldRefuseWhatConverseCannotSayNamingTheField() {
        ChatRequest byUrl = ChatRequest.builder("m")
                .messages(List.of(new Message(Role.USER, List.of(ContentPart.Image.remote("https://x/a.png")))))
                .build();
        CodecException e = assertThrows(CodecException.class, () -> codec.encodeRequest(byUrl, "m"));
        assertEquals("messages[0]", e.error().param());
        ChatRequest json = ChatRequest.builder("m")
                .messages(List.of(Message.text(Role.USER, "hi")))
                .responseFormat(new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, false))
                .build();
        assertEquals(
                "response_format",
                assertThrows(CodecException.class, () -> codec.encodeRequest(json, "m"))
                        .error()
                        .param());
    }
}
