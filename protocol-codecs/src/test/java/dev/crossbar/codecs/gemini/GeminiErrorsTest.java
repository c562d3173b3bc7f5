package dev.crossbar.codecs.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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

class GeminiErrorsTest {

    private static final String QUOTA = """
            {"error": {"code": 429, "message": "You exceeded your current quota.", "status": "RESOURCE_EXHAUSTED",
              "details": [
                {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [{"quotaMetric": "generate_content_free_tier_requests"}]},
                {"@type": "type.googleapis.com/google.rpc.Help", "links": [{"url": "https://ai.google.dev/gemini-api/docs/rate-limits"}]},
                {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "%s"}
              ]}}
            """;

    private final GeminiUpstreamCodec upstream = new GeminiUpstreamCodec();
    private final GeminiClientCodec client = new GeminiClientCodec();

    @ParameterizedTest
    @CsvSource({"22s, 22000", "1.5s, 1500", "0.25s, 250", "53.118452s, 53118", "7, 7000", "soon, -1", "-3s, -1"})
    void shouldReadRetryInfoDelayIntoRetryAfterMs(String delay, long ms) {
        UpstreamError e = upstream.decodeError(429, bytes(QUOTA.formatted(delay)));
        assertEquals(429, e.error().status());
        assertEquals(ErrorKind.RATE_LIMIT, e.error().kind());
        assertEquals("You exceeded your current quota.", e.error().message());
        assertEquals(ms, e.retryAfterMs());
        assertEquals(ms, e.error().retryAfterMs());
    }

    @Test
    void shouldReadAnErrorWrappedInAnArray() {
        UpstreamError e = upstream.decodeError(
                503, bytes("[{\"error\":{\"code\":503,\"message\":\"overloaded\",\"status\":\"UNAVAILABLE\"}}]"));
        assertEquals(503, e.error().status());
        assertEquals(ErrorKind.OVERLOADED, e.error().kind());
        assertEquals("overloaded", e.error().message());
    }

    @Test
    void shouldKeepTheHttpStatusOverTheBodyCode() {
        UpstreamError e = upstream.decodeError(
                400,
                bytes(
                        "{\"error\":{\"code\":400,\"message\":\"User location is not supported\",\"status\":\"FAILED_PRECONDITION\"}}"));
        assertEquals(400, e.error().status());
        assertEquals(ErrorKind.INVALID_REQUEST, e.error().kind());
    }

    @Test
    void shouldReadGarbageAsTheMessageWithItsStatus() {
        UpstreamError e = upstream.decodeError(500, bytes("Internal Server Error"));
        assertEquals(500, e.error().status());
        assertEquals("Internal Server Error", e.error().message());
        assertEquals(-1, e.retryAfterMs());
    }

    @Property(tries = 300)
    void shouldNeverThrowOnGarbage(@ForAll byte[] body, @ForAll @IntRange(min = 400, max = 599) int status) {
        UpstreamError e = upstream.decodeError(status, body);
        assertEquals(status, e.error().status());
        assertFalse(e.error().message().isEmpty());
    }

    @Property(tries = 100)
    void shouldNeverThrowOnJsonOfTheWrongShape(@ForAll("jsonShapes") String body) {
        upstream.decodeError(429, bytes(body));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> jsonShapes() {
        return net.jqwik.api.Arbitraries.of(
                "{}",
                "[]",
                "[1]",
                "null",
                "{\"error\":5}",
                "{\"error\":{}}",
                "{\"error\":{\"code\":\"x\",\"details\":5}}",
                "{\"error\":{\"details\":[{\"@type\":5,\"retryDelay\":[]}]}}",
                "{\"error\":{\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":{}}]}}");
    }

    @ParameterizedTest
    @CsvSource({
        "400, INVALID_REQUEST, INVALID_ARGUMENT",
        "401, AUTHENTICATION, UNAUTHENTICATED",
        "403, PERMISSION, PERMISSION_DENIED",
        "404, NOT_FOUND, NOT_FOUND",
        "429, RATE_LIMIT, RESOURCE_EXHAUSTED",
        "500, SERVER_ERROR, INTERNAL",
        "503, OVERLOADED, UNAVAILABLE",
        "529, OVERLOADED, UNAVAILABLE",
        "504, TIMEOUT, DEADLINE_EXCEEDED"
    })
    void shouldEncodeErrorBodyWithTheStatusNameForItsCode(int status, ErrorKind kind, String name) throws Exception {
        JsonNode node = Json.MAPPER.readTree(client.encodeError(new ApiError(status, kind, "boom", null, -1)));
        assertEquals(status, node.path("error").path("code").asInt());
        assertEquals("boom", node.path("error").path("message").asText());
        assertEquals(name, node.path("error").path("status").asText());
        assertTrue(node.path("error").path("details").isMissingNode());
    }

    @Test
    void shouldAddRetryInfoToA429WithAKnownDelay() throws Exception {
        JsonNode node = Json.MAPPER.readTree(
                client.encodeError(new ApiError(429, ErrorKind.RATE_LIMIT, "slow down", null, 22_000)));
        JsonNode detail = node.path("error").path("details").path(0);
        assertEquals(
                "type.googleapis.com/google.rpc.RetryInfo", detail.path("@type").asText());
        assertEquals("22s", detail.path("retryDelay").asText());
    }

    @Test
    void shouldRejectAnErrorBodyReturnedWith200() {
        CodecException e = assertThrows(
                CodecException.class,
                () -> upstream.decodeResponse(
                        bytes("{\"error\":{\"code\":503,\"message\":\"overloaded\",\"status\":\"UNAVAILABLE\"}}")));
        assertEquals(503, e.error().status());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
