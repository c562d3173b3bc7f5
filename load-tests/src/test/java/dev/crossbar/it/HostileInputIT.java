package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Garbage, oversized, deeply nested, slow and truncated input at every inbound route: each gets a clear
 * error in its protocol's shape, never a 5xx, a hang or a crash, and the node keeps serving.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIT {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** Route, auth header name, auth value prefix, and how its error body names the message. */
    private record Route(String path, String authHeader, String prefix, String errorPointer) {}

    private static final List<Route> ROUTES = List.of(
            new Route("/v1/chat/completions", "authorization", "Bearer ", "/error/message"),
            new Route("/v1/responses", "authorization", "Bearer ", "/error/message"),
            new Route("/v1/embeddings", "authorization", "Bearer ", "/error/message"),
            new Route("/v1/messages", "x-api-key", "", "/error/message"),
            new Route("/v1/messages/count_tokens", "x-api-key", "", "/error/message"),
            new Route("/v1beta/models/test-model:generateContent", "x-goog-api-key", "", "/error/message"),
            new Route(
                    "/v1beta/models/test-model:streamGenerateContent?alt=sse", "x-goog-api-key", "", "/error/message"));

    private GatewayHarness gateway;

    @BeforeAll
    void start() throws Exception {
        gateway = new GatewayHarness(
                MockConfig.of(MockKey.unlimited("sk-one", "openai")),
                TestConfig.openAi("sk-one")
                        .maxBodyBytes(65536)
                        .headerTimeout(Duration.ofSeconds(1))
                        .bodyTimeout(Duration.ofSeconds(1)),
                1);
    }

    @AfterAll
    void stop() throws Exception {
        gateway.close();
    }

    private HttpResponse<String> send(Route route, byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.url() + route.path()))
                .timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json")
                .header("anthropic-version", "2023-06-01")
                .header(route.authHeader(), route.prefix() + GatewayHarness.CLIENT_KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertClientError(Route route, HttpResponse<String> r, String what) throws IOException {
        assertTrue(
                r.statusCode() >= 400 && r.statusCode() < 500,
                route.path() + " " + what + " got " + r.statusCode() + ": " + r.body());
        JsonNode error = Http.JSON.readTree(r.body());
        assertTrue(
                !error.at(route.errorPointer()).asText("").isEmpty(),
                route.path() + " " + what + ": error shape without a message: " + r.body());
    }

    @Test
    void generatedGarbageAtEveryRouteGetsAClientError() throws Exception {
        Random random = new Random(42);
        String[] shapes = {
            "",
            "{",
            "}",
            "[]",
            "null",
            "42",
            "\"text\"",
            "{\"model\":",
            "{\"model\":5}",
            "{\"model\":\"test-model\"}",
            "{\"model\":\"test-model\",\"messages\":\"no\"}",
            "{\"model\":\"test-model\",\"messages\":[]}",
            "{\"model\":\"test-model\",\"messages\":[{\"role\":7}]}",
            "{\"model\":\"test-model\",\"messages\":[{\"role\":\"user\",\"content\":{}}]}",
            "{\"model\":\"test-model\",\"max_tokens\":-1,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
            "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":5}",
            "{\"contents\":5}",
            "{\"contents\":[{\"parts\":[{\"text\":7}]}]}",
            "{\"input\":{}}"
        };
        for (Route route : ROUTES) {
            for (String shape : shapes) {
                if (route.path().endsWith("count_tokens") && shape.contains("max_tokens\":-1")) {
                    continue; // the token counter takes no max_tokens and ignores it
                }
                assertClientError(route, send(route, shape.getBytes(StandardCharsets.UTF_8)), "shape " + shape);
            }
            for (int i = 0; i < 25; i++) {
                byte[] junk = new byte[random.nextInt(300)];
                random.nextBytes(junk);
                assertClientError(route, send(route, junk), "random bytes");
            }
        }
        assertStillServing();
    }

    @Test
    void deepNestingNonUtf8AndOversizedBodiesGetClearErrors() throws Exception {
        String deep = "{\"model\":\"test-model\",\"messages\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}";
        byte[] notUtf8 = {'{', '"', 'm', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        byte[] huge = ("{\"model\":\"test-model\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(200_000)
                        + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        for (Route route : ROUTES) {
            assertClientError(route, send(route, deep.getBytes(StandardCharsets.UTF_8)), "deep nesting");
            assertClientError(route, send(route, notUtf8), "invalid UTF-8");
            HttpResponse<String> tooBig = send(route, huge);
            assertEquals(413, tooBig.statusCode(), route.path() + ": " + tooBig.body());
        }
        assertStillServing();
    }

    @Test
    void slowLorisConnectionsAreCutOff() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(
                    new InetSocketAddress(
                            InetAddress.getLoopbackAddress(),
                            URI.create(gateway.url()).getPort()),
                    2_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            InputStream in = socket.getInputStream();
            int read = in.read();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(-1, read, "the server closed the connection");
            assertTrue(millis < 4_000, "cut off by the 1 s header timeout, took " + millis + " ms");
        }
        try (Socket socket = new Socket()) {
            socket.connect(
                    new InetSocketAddress(
                            InetAddress.getLoopbackAddress(),
                            URI.create(gateway.url()).getPort()),
                    2_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                            + GatewayHarness.CLIENT_KEY
                            + "\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"model\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 408", answer, "a body that stops arriving gets a 408");
        }
        assertStillServing();
    }

    @Test
    void memoryStaysFlatUnderRepeatedGarbage() throws Exception {
        Route route = ROUTES.get(0);
        byte[] junk = "{\"model\":\"test-model\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"nope\"}]}]}"
                .getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 300; i++) {
            send(route, junk);
        }
        long before = usedHeapAfterGc();
        for (int i = 0; i < 2_000; i++) {
            send(route, junk);
        }
        long after = usedHeapAfterGc();
        System.out.printf(
                "heap after GC: %d KiB before, %d KiB after 2,000 bad requests%n", before / 1024, after / 1024);
        assertTrue(after - before < 16L * 1024 * 1024, "heap grew by " + (after - before) / 1024 + " KiB");
        assertStillServing();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private void assertStillServing() throws Exception {
        Http.Reply ok = Http.post(
                gateway.url() + "/v1/chat/completions",
                "{\"model\":\"test-model\",\"messages\":[{\"role\":\"user\",\"content\":\"alive?\"}]}",
                Http.bearer(GatewayHarness.CLIENT_KEY));
        assertEquals(200, ok.status(), ok.body());
    }
}
