package dev.crossbar.codecs.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.CodecException;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.spi.UpstreamError;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicErrorsTest {

    private final AnthropicUpstreamCodec upstream = new AnthropicUpstreamCodec();
    private final AnthropicClientCodec client = new AnthropicClientCodec();

    @Test
    void shouldKeepTheTruthful529AndMessageOfAnOverloadedError() {
        UpstreamError e = upstream.decodeError(
                529,
                bytes(
                        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"},\"request_id\":\"req_1\"}"));
        assertEquals(529, e.error().status());
        assertEquals(ErrorKind.OVERLOADED, e.error().kind());
        assertEquals("Overloaded", e.error().message());
        assertEquals(-1, e.retryAfterMs());
    }

    @Test
    void shouldMarkASpendLimit429AsNotRetryable() {
        UpstreamError e = upstream.decodeError(
                429,
                bytes(
                        "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
                                + "\"message\":\"Spend limit reached\",\"details\":{\"error_code\":\"enforced_spend_limit_reached\"}}}"));
        assertEquals(429, e.error().status());
        assertEquals(ErrorKind.PERMISSION, e.error().kind());
        assertTrue(e.error().message().contains("enforced_spend_limit_reached"));
    }

    @Test
    void shouldReadAnHtmlGatewayPageAsTheMessageWithItsStatus() {
        UpstreamError e = upstream.decodeError(502, bytes("<html><body>502 Bad Gateway</body></html>"));
        assertEquals(502, e.error().status());
        assertEquals(ErrorKind.BAD_GATEWAY, e.error().kind());
        assertEquals("<html><body>502 Bad Gateway</body></html>", e.error().message());
    }

    @Test
    void shouldNameTheStatusWhenTheBodyIsEmpty() {
        assertEquals(
                "upstream returned HTTP 500",
                upstream.decodeError(500, new byte[0]).error().message());
        assertEquals(
                "upstream returned HTTP 503",
                upstream.decodeError(503, null).error().message());
    }

    @Test
    void shouldCapALongMessage() {
        String longMessage = "x".repeat(5000);
        UpstreamError e = upstream.decodeError(
                400,
                bytes("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"" + longMessage
                        + "\"}}"));
        assertEquals(AnthropicWire.MAX_ERROR_MESSAGE + 3, e.error().message().length());
        assertEquals(
                AnthropicWire.MAX_ERROR_MESSAGE + 3,
                upstream.decodeError(400, bytes(longMessage)).error().message().length());
    }

    @Property(tries = 300)
    void shouldNeverThrowOnGarbage(@ForAll byte[] body, @ForAll @IntRange(min = 400, max = 599) int status) {
        UpstreamError e = upstream.decodeError(status, body);
        assertEquals(status, e.error().status());
        assertTrue(e.error().message() != null && !e.error().message().isEmpty());
    }

    @Property(tries = 100)
    void shouldNeverThrowOnJsonOfTheWrongShape(@ForAll("jsonShapes") String body) {
        upstream.decodeError(400, bytes(body));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> jsonShapes() {
        return net.jqwik.api.Arbitraries.of(
                "{}",
                "[]",
                "null",
                "1",
                "\"s\"",
                "{\"error\":5}",
                "{\"error\":{}}",
                "{\"error\":{\"type\":7,\"message\":[1]}}",
                "{\"error\":{\"details\":\"x\"}}",
                "[{\"error\":{}}]",
                "{\"type\":\"error\"}");
    }

    @ParameterizedTest
    @CsvSource({
        "400, INVALID_REQUEST, invalid_request_error",
        "401, AUTHENTICATION, authentication_error",
        "403, PERMISSION, permission_error",
        "404, NOT_FOUND, not_found_error",
        "413, REQUEST_TOO_LARGE, request_too_large",
        "429, RATE_LIMIT, rate_limit_error",
        "500, SERVER_ERROR, api_error",
        "502, BAD_GATEWAY, api_error",
        "503, OVERLOADED, overloaded_error",
        "529, OVERLOADED, overloaded_error",
        "504, TIMEOUT, timeout_error",
        "408, TIMEOUT, timeout_error",
        "422, INVALID_REQUEST, invalid_request_error"
    })
    void shouldEncodeErrorBodyWithTheTypeForItsStatus(int status, ErrorKind kind, String type) throws Exception {
        byte[] body = client.encodeError(new ApiError(status, kind, "boom \"quoted\"", null, -1));
        var node = Json.MAPPER.readTree(body);
        assertEquals("error", node.path("type").asText());
        assertEquals(type, node.path("error").path("type").asText());
        assertEquals("boom \"quoted\"", node.path("error").path("message").asText());
    }

    @Test
    void shouldRejectAnErrorBodyReturnedWith200() {
        CodecException e = assertThrows(
                CodecException.class,
                () -> upstream.decodeResponse(bytes(
                        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")));
        assertEquals(529, e.error().status());
    }

    @Test
    void shouldRejectAMalformedSuccessBodyWith502() {
        CodecException e = assertThrows(CodecException.class, () -> upstream.decodeResponse(bytes("not json")));
        assertEquals(502, e.error().status());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
