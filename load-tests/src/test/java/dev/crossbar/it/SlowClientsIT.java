package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Clients that hold a node's connections: a kept-alive connection that opens with an honest request and then
 * trickles the next one's headers is cut at the header timeout (not only a new connection's first request),
 * while one that merely waits between requests is not; and past {@code node.maxConnections} a connection is
 * refused while those already open are still served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowClientsIT {

    private static final long HEADER_TIMEOUT_MS = 1_000;
    private static final int MAX_CONNECTIONS = 4;
    private static final String CHAT =
            "{\"model\":\"test-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private GatewayHarness gateway;
    private int port;

    @BeforeAll
    void start() throws Exception {
        gateway = new GatewayHarness(
                MockConfig.of(MockKey.unlimited("sk-one", "openai")),
                TestConfig.openAi("sk-one")
                        .eventLoops(2)
                        .headerTimeout(Duration.ofSeconds(1))
                        .idleTimeout(Duration.ofSeconds(30))
                        .maxConnections(MAX_CONNECTIONS),
                1);
        port = URI.create(gateway.url()).getPort();
    }

    @AfterAll
    void stop() throws Exception {
        gateway.close();
    }

    /**
     * Regression: only a connection's first request was held to the header timeout; the second could trickle
     * its headers for as long as each byte came within the idle timeout.
     */
    @Test
    void shouldCutAKeptAliveConnectionThatTricklesItsNextRequestsHeaders() throws Exception {
        try (Client client = new Client(port)) {
            assertEquals(200, client.exchange(chatRequest()), "the first request is served");
            byte[] next = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                            + GatewayHarness.CLIENT_KEY + "\r\nContent-Type: application/json\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            long start = System.nanoTime();
            long cutAfter = -1;
            for (int i = 0; i < next.length && cutAfter < 0; i++) {
                try {
                    client.out.write(next[i]);
                    client.out.flush();
                    if (client.closedWithin(200)) {
                        cutAfter = (System.nanoTime() - start) / 1_000_000;
                    }
                } catch (IOException closed) {
                    cutAfter = (System.nanoTime() - start) / 1_000_000;
                }
            }
            assertTrue(cutAfter >= 0, "the connection still open after trickling " + next.length + " bytes");
            assertTrue(
                    cutAfter >= HEADER_TIMEOUT_MS - 100 && cutAfter < HEADER_TIMEOUT_MS + 1_500,
                    "cut at the 1 s header timeout, took " + cutAfter + " ms");
        }
    }

    @Test
    void shouldLeaveAKeptAliveConnectionThatWaitsBetweenRequestsToTheIdleTimeout() throws Exception {
        try (Client client = new Client(port)) {
            assertEquals(200, client.exchange(chatRequest()));
            assertTrue(!client.closedWithin(3 * HEADER_TIMEOUT_MS), "quiet between requests is not slow headers");
            assertEquals(200, client.exchange(chatRequest()), "the next request on the same connection is served");
        }
    }

    @Test
    void shouldRefuseConnectionsPastTheCapAndServeTheOpenOnes() throws Exception {
        List<Client> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                Client client = new Client(port);
                open.add(client);
                assertEquals(200, client.exchange(modelsRequest()), "connection " + (i + 1) + " is served");
            }
            try (Client extra = new Client(port)) {
                assertTrue(extra.refused(), "a connection past node.maxConnections is closed as it opens");
            }
            for (Client client : open) {
                assertEquals(200, client.exchange(modelsRequest()), "the connections within the cap still serve");
            }
            open.remove(0).close();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (true) {
                try (Client again = new Client(port)) {
                    if (!again.refused()) {
                        break;
                    }
                }
                if (System.nanoTime() > deadline) {
                    fail("a place freed by a closed connection is never taken again");
                }
                Thread.sleep(50);
            }
        } finally {
            for (Client client : open) {
                client.close();
            }
        }
    }

    private static String chatRequest() {
        return "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + GatewayHarness.CLIENT_KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: " + CHAT.length() + "\r\n\r\n" + CHAT;
    }

    private static String modelsRequest() {
        return "GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + GatewayHarness.CLIENT_KEY + "\r\n\r\n";
    }

    /** A kept-alive HTTP/1.1 connection on a plain socket, one request at a time. */
    private static final class Client implements AutoCloseable {
        private final Socket socket = new Socket();
        private final InputStream in;
        final OutputStream out;

        Client(int port) throws IOException {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        /** Sends a request and reads its whole answer; returns the status. */
        int exchange(String request) throws IOException {
            socket.setSoTimeout(10_000);
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed before the answer's head: " + head);
                }
                head.write(b);
            }
            String text = head.toString(StandardCharsets.US_ASCII);
            int length = 0;
            for (String line : text.split("\r\n", -1)) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            assertEquals(length, in.readNBytes(length).length, "the whole body: " + text);
            return Integer.parseInt(text.substring(9, 12));
        }

        /** True when the server closes the connection within {@code millis} (nothing else may arrive). */
        boolean closedWithin(long millis) throws IOException {
            socket.setSoTimeout((int) millis);
            try {
                int b = in.read();
                assertEquals(-1, b, "nothing but the close arrives");
                return true;
            } catch (SocketTimeoutException stillOpen) {
                return false;
            } catch (IOException reset) {
                return true;
            }
        }

        /** True when the server closes the connection without answering a request. */
        boolean refused() throws IOException {
            try {
                out.write(modelsRequest().getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException closed) {
                return true;
            }
            socket.setSoTimeout(3_000);
            try {
                return in.read() < 0; // an answer's first byte: served
            } catch (IOException reset) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
