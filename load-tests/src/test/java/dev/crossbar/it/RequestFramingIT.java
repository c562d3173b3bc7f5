package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Requests whose framing a server must not guess at (RFC 9112 6.1 and 6.3: Content-Length with Transfer-Encoding,
 * a Transfer-Encoding that does not end in chunked, one in HTTP/1.0) are refused with a 400 and the connection
 * closed, so a request smuggled in a body through a proxy in front never runs; and every request the node cannot
 * parse is answered in the client protocol's error shape, saying what to fix, never with a bare status.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestFramingIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CHAT = "/v1/chat/completions";
    private static final String BODY =
            "{\"model\":\"test-model\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private GatewayHarness gateway;

    @BeforeAll
    void start() throws Exception {
        gateway = new GatewayHarness(
                MockConfig.of(MockKey.unlimited("sk-one", "openai")), TestConfig.openAi("sk-one"), 1);
    }

    @AfterAll
    void stop() throws Exception {
        gateway.close();
    }

    private static String head(String path, String version, String... headers) {
        StringBuilder head = new StringBuilder("POST " + path + " " + version + "\r\n")
                .append("Host: 127.0.0.1\r\n")
                .append("Authorization: Bearer " + GatewayHarness.CLIENT_KEY + "\r\n")
                .append("x-api-key: " + GatewayHarness.CLIENT_KEY + "\r\n")
                .append("Content-Type: application/json\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    private static String chunked(String body) {
        return Integer.toHexString(body.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + body + "\r\n0\r\n\r\n";
    }

    /** Sends the request and reads its answer to the connection's end: the node must close it. */
    private RawHttp refused(String request) throws Exception {
        RawHttp http = RawHttp.send(gateway.url(), request);
        assertTrue(http.readToEnd(WAIT), "the node closes the connection after the answer: " + http.received());
        return http;
    }

    private static JsonNode json(RawHttp http) throws Exception {
        return Http.JSON.readTree(http.body());
    }

    @Test
    void aRequestSmuggledBehindContentLengthAndChunkedNeverRuns() throws Exception {
        // A proxy that frames by Content-Length forwards one request; framed by chunked it is two.
        String smuggled = head(CHAT, "HTTP/1.1", "Content-Length: " + BODY.length()) + BODY;
        String body = "0\r\n\r\n" + smuggled;
        int before = gateway.mock().requests().size();
        try (RawHttp http = refused(
                head(CHAT, "HTTP/1.1", "Content-Length: " + body.length(), "Transfer-Encoding: chunked") + body)) {
            assertEquals(400, http.status(), http.received());
            assertEquals(1, http.received().split("HTTP/1.1 ", -1).length - 1, "one answer: " + http.received());
            String message = json(http).at("/error/message").asText();
            assertTrue(message.contains("Content-Length") && message.contains("Transfer-Encoding"), message);
        }
        assertEquals(before, gateway.mock().requests().size(), "nothing reached the provider");
    }

    @Test
    void aTransferEncodingThatDoesNotEndInChunkedIsRefused() throws Exception {
        for (String coding : new String[] {"gzip", "chunked, gzip", "identity"}) {
            try (RawHttp http = refused(head(CHAT, "HTTP/1.1", "Transfer-Encoding: " + coding) + BODY)) {
                assertEquals(400, http.status(), coding + ": " + http.received());
                assertTrue(json(http).at("/error/message").asText().contains("Transfer-Encoding"), http.body());
            }
        }
    }

    @Test
    void aTransferEncodingInHttp10IsRefused() throws Exception {
        try (RawHttp http = refused(head(CHAT, "HTTP/1.0", "Transfer-Encoding: chunked") + chunked(BODY))) {
            assertEquals(400, http.status(), http.received());
            assertTrue(json(http).at("/error/message").asText().contains("Transfer-Encoding"), http.body());
        }
    }

    @Test
    void aContentLengthThatIsNotOneNumberIsNamed() throws Exception {
        for (String[] lengths : new String[][] {{"abc"}, {"-1"}, {"5", "7"}}) {
            String[] headers = new String[lengths.length];
            for (int i = 0; i < lengths.length; i++) {
                headers[i] = "Content-Length: " + lengths[i];
            }
            try (RawHttp http = refused(head(CHAT, "HTTP/1.1", headers) + BODY)) {
                assertEquals(400, http.status(), http.received());
                assertTrue(json(http).at("/error/message").asText().contains("Content-Length"), http.body());
            }
        }
    }

    @Test
    void aRequestLineOrHeadersTooLongAreAnsweredWithTheirLimit() throws Exception {
        String longLine = "POST " + CHAT + "?" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
        try (RawHttp http = refused(longLine)) {
            assertEquals(414, http.status(), http.received());
            assertTrue(json(http).at("/error/message").asText().contains("8192"), http.body());
        }
        try (RawHttp http = refused(head(CHAT, "HTTP/1.1", "X-Big: " + "b".repeat(20_000)) + BODY)) {
            assertEquals(431, http.status(), http.received());
            assertTrue(json(http).at("/error/message").asText().contains("16384"), http.body());
        }
    }

    @Test
    void anAnthropicClientHearsItInAnthropicsShape() throws Exception {
        try (RawHttp http = refused(
                head("/v1/messages", "HTTP/1.1", "Content-Length: 3", "Transfer-Encoding: chunked") + chunked(BODY))) {
            assertEquals(400, http.status(), http.received());
            JsonNode error = json(http);
            assertEquals("error", error.at("/type").asText(), http.body());
            assertTrue(error.at("/error/message").asText().contains("Transfer-Encoding"), http.body());
        }
    }

    @Test
    void aChunkedBodyAloneIsServed() throws Exception {
        try (RawHttp http = RawHttp.send(
                gateway.url(),
                head(CHAT, "HTTP/1.1", "Transfer-Encoding: chunked", "Connection: close") + chunked(BODY))) {
            assertTrue(http.readToEnd(WAIT), http.received());
            assertEquals(200, http.status(), http.received());
        }
    }
}
