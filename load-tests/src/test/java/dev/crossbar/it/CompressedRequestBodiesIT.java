package dev.crossbar.it;

import static dev.crossbar.gateway.testing.CodedBodies.deflate;
import static dev.crossbar.gateway.testing.CodedBodies.gzip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Request bodies a client compressed ({@code Content-Encoding: gzip} or {@code deflate}) reach the provider
 * as the JSON they hold, on a kept-alive connection between plain ones; a damaged one is the client's error; one
 * that inflates past the body limit is refused with a 413 without being inflated whole; and the node keeps
 * serving after each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompressedRequestBodiesIT {

    private static final int MAX_BODY_BYTES = 65536;
    private static final String PATH = "/v1/chat/completions";

    private GatewayHarness gateway;

    @BeforeAll
    void start() throws Exception {
        gateway = new GatewayHarness(
                MockConfig.of(MockKey.unlimited("sk-one", "openai")),
                TestConfig.openAi("sk-one").maxBodyBytes(MAX_BODY_BYTES),
                1);
    }

    @AfterAll
    void stop() throws Exception {
        gateway.close();
    }

    private static String chat(String text) {
        return "{\"model\":\"test-model\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"" + text
                + "\"}]}";
    }

    @Test
    void compressedAndPlainBodiesShareAKeptAliveConnection() throws Exception {
        try (Connection c = new Connection(gateway.url())) {
            String[] codings = {null, "gzip", null, "deflate", "GZIP", null, "identity"};
            for (int i = 0; i < codings.length; i++) {
                String text = "request " + i + " with coding " + codings[i];
                Answer answer = c.post(codings[i], encode(codings[i], chat(text)));
                assertEquals(200, answer.status(), codings[i] + ": " + answer.body());
                JsonNode sent = gateway.mock().lastRequest().json();
                assertEquals(
                        text,
                        sent.at("/messages/0/content").asText(),
                        "the provider got the JSON the body held, coding " + codings[i]);
            }
        }
    }

    @Test
    void aCompressedBodySentInChunksIsInflatedWhole() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append("word").append(i).append(' ');
        }
        byte[] gz = encode("gzip", chat(text.toString().trim()));
        try (Connection c = new Connection(gateway.url())) {
            for (int chunk : new int[] {7, 1024}) {
                Answer answer = c.postChunked("gzip", gz, chunk);
                assertEquals(200, answer.status(), answer.body());
                assertEquals(
                        text.toString().trim(),
                        gateway.mock()
                                .lastRequest()
                                .json()
                                .at("/messages/0/content")
                                .asText(),
                        "chunks of " + chunk + " bytes");
            }
        }
    }

    @Test
    void aDamagedCompressedBodyIsTheClientsError() throws Exception {
        byte[] gzip = encode("gzip", chat("soon damaged"));
        byte[] damaged = Arrays.copyOf(gzip, gzip.length);
        for (int i = 10; i < damaged.length - 8; i++) {
            damaged[i] ^= 0x5a;
        }
        byte[] notGzip = chat("not compressed at all").getBytes(StandardCharsets.UTF_8);
        assertEachRefusedNamingTheHeader(damaged, notGzip);
    }

    /**
     * A gzip body without its trailer (a client that never closed its compressing stream) inflates to the whole
     * JSON, and one cut in its middle to part of it: neither is what the client meant to send, so both are refused
     * naming the header, as is a body of two gzip members, where Netty's decoder would have read either both or,
     * past the first, none.
     */
    @Test
    void aCompressedBodyCutShortOrGoingOnIsRefusedNotServed() throws Exception {
        byte[] gzip = encode("gzip", chat("cut short"));
        byte[] twoMembers = Arrays.copyOf(gzip, gzip.length * 2);
        System.arraycopy(gzip, 0, twoMembers, gzip.length, gzip.length);
        assertEachRefusedNamingTheHeader(Arrays.copyOf(gzip, gzip.length - 8), Arrays.copyOf(gzip, 20), twoMembers);
    }

    /** Each body, labelled gzip, on a connection of its own: a 400 naming the header; the node serves on. */
    private void assertEachRefusedNamingTheHeader(byte[]... bodies) throws Exception {
        for (byte[] body : bodies) {
            try (Connection c = new Connection(gateway.url())) {
                Answer answer = c.post("gzip", body);
                assertEquals(400, answer.status(), answer.body());
                assertTrue(
                        answer.errorMessage().contains("Content-Encoding"),
                        "the error names the header: " + answer.body());
            }
        }
        assertStillServing();
    }

    /**
     * Three requests in one write (HTTP/1.1 pipelining), the middle one's gzip damaged: the first is served, the
     * second refused as the client's error, and the third, if answered before the connection closes, is served
     * whole, never refused for the second's body nor forwarded with a body cut short.
     */
    @Test
    void pipelinedRequestsAroundADamagedOneEachGetTheirOwnAnswer() throws Exception {
        byte[] damaged = "{\"model\": not gzip".getBytes(StandardCharsets.UTF_8);
        Answer third;
        try (Connection c = new Connection(gateway.url())) {
            c.send(null, chat("first, plain").getBytes(StandardCharsets.UTF_8));
            c.send("gzip", damaged);
            c.send("gzip", encode("gzip", chat("third, gzip")));
            c.flush();
            Answer first = c.read();
            assertEquals(200, first.status(), first.body());
            Answer second = c.read();
            assertEquals(400, second.status(), second.body());
            assertTrue(second.errorMessage().contains("Content-Encoding"), second.body());
            third = c.readIfOpen();
            if (third != null) {
                assertEquals(200, third.status(), third.body());
            }
        }
        List<String> seen = gateway.mock().requests().stream()
                .map(r -> r.json().at("/messages/0/content").asText())
                .toList();
        assertTrue(seen.contains("first, plain"), seen.toString());
        assertEquals(third != null, seen.contains("third, gzip"), seen.toString());
        assertTrue(seen.stream().noneMatch(text -> text.contains("not gzip")), seen.toString());
        assertStillServing();
    }

    /**
     * A damaged body pipelined behind a plain one that the node is still serving does not end it, and the body's
     * framing holds: the request after the damaged one is answered for itself.
     */
    @Test
    void aDamagedBodyBehindAnotherDoesNotCloseTheConnectionBeforeThatOnesAnswer() throws Exception {
        try (Connection c = new Connection(gateway.url())) {
            c.send(null, chat("served first").getBytes(StandardCharsets.UTF_8));
            c.send("deflate", "not deflate".getBytes(StandardCharsets.UTF_8));
            c.send(null, chat("served after").getBytes(StandardCharsets.UTF_8));
            c.flush();
            assertEquals(200, c.read().status());
            Answer refused = c.read();
            assertEquals(400, refused.status(), refused.body());
            assertTrue(refused.errorMessage().contains("Content-Encoding"), refused.body());
            Answer after = c.readIfOpen();
            assertTrue(after == null || after.status() == 200, "closed, or the next request served: " + after);
        }
    }

    /**
     * The answer to a refused body says {@code Connection: close}, and the node then closes the connection (RFC 9112
     * 9.6: a server that sends it must close): a client that sends another request on it anyway is not served there.
     */
    @Test
    void theConnectionARefusedBodyClosesIsClosedEvenForAClientThatGoesOn() throws Exception {
        try (Connection c = new Connection(gateway.url())) {
            Answer refused = c.post("gzip", "not gzip".getBytes(StandardCharsets.UTF_8));
            assertEquals(400, refused.status(), refused.body());
            assertEquals("close", refused.connection(), "the answer's Connection header");
            Answer after;
            try {
                c.send(null, chat("sent on a connection said closed").getBytes(StandardCharsets.UTF_8));
                c.flush();
                after = c.readIfOpen();
            } catch (IOException closed) {
                after = null;
            }
            assertNull(after, "the node closed the connection instead of answering on it");
        }
        assertTrue(
                gateway.mock().requests().stream()
                        .noneMatch(r -> r.json().toString().contains("said closed")),
                "not forwarded");
        assertStillServing();
    }

    @Test
    void aCodingTheNodeCannotDecodeIsNamed() throws Exception {
        try (Connection c = new Connection(gateway.url())) {
            Answer answer = c.post("br", chat("brotli, supposedly").getBytes(StandardCharsets.UTF_8));
            assertEquals(400, answer.status(), answer.body());
            assertTrue(answer.errorMessage().contains("Content-Encoding br is not supported"), answer.body());
        }
        assertStillServing();
    }

    @Test
    void aBodyThatInflatesPastTheLimitIsRefused() throws Exception {
        // 64 MB of one repeated byte: about 64 KB compressed, over a thousand times the limit inflated.
        byte[] inflated = new byte[64 * 1024 * 1024];
        Arrays.fill(inflated, (byte) ' ');
        byte[] bomb = gzip(inflated);
        assertTrue(bomb.length < MAX_BODY_BYTES * 2, "the bomb itself is small: " + bomb.length);
        try (Connection c = new Connection(gateway.url())) {
            Answer answer = c.post("gzip", bomb);
            assertEquals(413, answer.status(), answer.body());
            assertTrue(answer.errorMessage().contains("limit"), answer.body());
        }
        assertStillServing();
    }

    private void assertStillServing() throws Exception {
        try (Connection c = new Connection(gateway.url())) {
            Answer answer = c.post(null, chat("still there").getBytes(StandardCharsets.UTF_8));
            assertEquals(200, answer.status(), answer.body());
        }
    }

    private static byte[] encode(String coding, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (coding == null || coding.equals("identity")) {
            return bytes;
        }
        return coding.equalsIgnoreCase("gzip") ? gzip(bytes) : deflate(bytes);
    }

    /** @param connection the answer's {@code Connection} header, or null */
    private record Answer(int status, String body, String connection) {
        /** The message of an error answer in OpenAI's shape. */
        String errorMessage() throws IOException {
            return Http.JSON.readTree(body).at("/error/message").asText();
        }
    }

    /** One kept-alive HTTP/1.1 connection, requests one after another, answers of declared length. */
    private static final class Connection implements AutoCloseable {
        private final Socket socket = new Socket();
        private final String host;
        private final InputStream in;
        private final OutputStream out;
        private int pushedBack = -1;

        Connection(String baseUrl) throws IOException {
            URI uri = URI.create(baseUrl);
            host = uri.getHost() + ":" + uri.getPort();
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
            socket.setSoTimeout(20_000);
            in = socket.getInputStream();
            out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        }

        Answer post(String coding, byte[] body) throws IOException {
            send(coding, body);
            flush();
            return read();
        }

        /** Writes a request without flushing it: several sent before the first answer is read are pipelined. */
        void send(String coding, byte[] body) throws IOException {
            out.write(head(coding, "Content-Length: " + body.length));
            out.write(body);
        }

        void flush() throws IOException {
            out.flush();
        }

        /** The next answer, or null when the server closed the connection instead. */
        Answer readIfOpen() throws IOException {
            int first;
            try {
                first = in.read();
            } catch (SocketException reset) {
                return null;
            }
            if (first < 0) {
                return null;
            }
            pushedBack = first;
            return read();
        }

        /** The body in chunks of {@code chunk} bytes ({@code Transfer-Encoding: chunked}), each flushed. */
        Answer postChunked(String coding, byte[] body, int chunk) throws IOException {
            out.write(head(coding, "Transfer-Encoding: chunked"));
            for (int from = 0; from < body.length; from += chunk) {
                int length = Math.min(chunk, body.length - from);
                out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, from, length);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return read();
        }

        private byte[] head(String coding, String framing) {
            String head = "POST " + PATH + " HTTP/1.1\r\n"
                    + "Host: " + host + "\r\n"
                    + "Authorization: Bearer " + GatewayHarness.CLIENT_KEY + "\r\n"
                    + "Content-Type: application/json\r\n"
                    + (coding == null ? "" : "Content-Encoding: " + coding + "\r\n")
                    + framing + "\r\n\r\n";
            return head.getBytes(StandardCharsets.US_ASCII);
        }

        Answer read() throws IOException {
            String status = line();
            int contentLength = -1;
            String connection = null;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    contentLength = Integer.parseInt(
                            lower.substring("content-length:".length()).trim());
                } else if (lower.startsWith("connection:")) {
                    connection = lower.substring("connection:".length()).trim();
                }
            }
            assertTrue(contentLength >= 0, "an answer of declared length: " + status);
            byte[] body = in.readNBytes(contentLength);
            return new Answer(
                    Integer.parseInt(status.substring(9, 12)), new String(body, StandardCharsets.UTF_8), connection);
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = next(); b != '\n'; b = next()) {
                if (b < 0) {
                    throw new IOException("the server closed the connection after: " + line);
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        private int next() throws IOException {
            int b = pushedBack;
            pushedBack = -1;
            return b >= 0 ? b : in.read();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
