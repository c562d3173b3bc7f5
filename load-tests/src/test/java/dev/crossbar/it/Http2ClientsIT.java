package dev.crossbar.it;

import static dev.crossbar.gateway.testing.CodedBodies.deflate;
import static dev.crossbar.gateway.testing.CodedBodies.gzip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Clients on HTTP/2 (TLS with ALPN): answers that close an HTTP/1.x connection must not carry {@code Connection:
 * close} there, a header HTTP/2 forbids (RFC 9113 8.2.2): the client would meet a stream error instead of the answer.
 */
class Http2ClientsIT {

    private static final int MAX_BODY_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The status, the body and the protocol of an answer. */
    private record Answer(int status, String body, HttpVersion version) {}

    /** One node behind TLS (so HTTP/2 by ALPN) with a small body limit, in front of a mock with one key. */
    private static GatewayHarness gateway(TestConfig config) throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
        return new GatewayHarness(
                MockConfig.of(MockKey.unlimited("sk-one", "openai")),
                config.maxBodyBytes(MAX_BODY_BYTES)
                        .tls(
                                cert.certificatePath().toString(),
                                cert.privateKeyPath().toString()),
                1);
    }

    private static RequestOptions options(String url) {
        return new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(URI.create(url).getPort())
                .setURI("/v1/chat/completions")
                .putHeader("authorization", "Bearer " + GatewayHarness.CLIENT_KEY)
                .putHeader("content-type", "application/json");
    }

    private static Answer post(HttpClient client, String url, String body) throws TimeoutException {
        return post(client, options(url), Buffer.buffer(body, "UTF-8"));
    }

    private static Answer post(HttpClient client, RequestOptions options, Buffer body) throws TimeoutException {
        return client.request(options)
                .compose(request -> request.send(body))
                .compose(response -> response.body()
                        .map(b -> new Answer(
                                response.statusCode(), b.toString(StandardCharsets.UTF_8), response.version())))
                .await(20, TimeUnit.SECONDS);
    }

    private static String chat(String text) {
        return "{\"model\":\"test-model\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }

    @Test
    void aBodyOverTheLimitIsAnsweredWithA413() throws Exception {
        try (GatewayHarness gateway = gateway(TestConfig.openAi("sk-one"));
                Http2 http2 = new Http2()) {
            Answer refused = post(http2.client, gateway.url(), chat("x".repeat(MAX_BODY_BYTES)));
            assertEquals(HttpVersion.HTTP_2, refused.version());
            assertEquals(413, refused.status(), refused.body());
            JsonNode error = JSON.readTree(refused.body()).path("error");
            assertTrue(error.path("message").asText().contains(Integer.toString(MAX_BODY_BYTES)), refused.body());
            Answer served = post(http2.client, gateway.url(), chat("after the refused one"));
            assertEquals(200, served.status(), served.body());
        }
    }

    /**
     * A coded body on HTTP/2 is inflated by the node, whole and within the limit; one that is not what its
     * Content-Encoding says (damaged, cut short, without its gzip trailer) is a 400 naming the header, one that
     * inflates past the limit a 413, each an answer the client can read rather than a reset stream.
     */
    @Test
    void codedBodiesAreInflatedOrRefusedWithAnAnswer() throws Exception {
        try (GatewayHarness gateway = gateway(TestConfig.openAi("sk-one"));
                Http2 http2 = new Http2()) {
            byte[] json = chat("coded on h2").getBytes(StandardCharsets.UTF_8);
            byte[] gzip = gzip(json);
            for (String coding : new String[] {"gzip", "deflate"}) {
                byte[] body = coding.equals("gzip") ? gzip : deflate(json);
                Answer served = post(http2.client, coded(gateway.url(), coding), Buffer.buffer(body));
                assertEquals(HttpVersion.HTTP_2, served.version());
                assertEquals(200, served.status(), coding + ": " + served.body());
                assertEquals(
                        "coded on h2",
                        gateway.mock()
                                .lastRequest()
                                .json()
                                .at("/messages/0/content")
                                .asText(),
                        "the provider got the JSON the " + coding + " body held");
            }
            byte[] damaged = Arrays.copyOf(gzip, gzip.length);
            for (int i = 10; i < damaged.length - 8; i++) {
                damaged[i] ^= 0x5a;
            }
            for (byte[] body :
                    new byte[][] {damaged, Arrays.copyOf(gzip, gzip.length - 8), Arrays.copyOf(gzip, 20), json}) {
                Answer refused = post(http2.client, coded(gateway.url(), "gzip"), Buffer.buffer(body));
                assertEquals(400, refused.status(), refused.body());
                assertTrue(
                        JSON.readTree(refused.body())
                                .at("/error/message")
                                .asText()
                                .contains("Content-Encoding"),
                        "the error names the header: " + refused.body());
            }
            Answer bomb = post(http2.client, coded(gateway.url(), "gzip"), Buffer.buffer(gzip(new byte[1 << 24])));
            assertEquals(413, bomb.status(), bomb.body());
            Answer unknown = post(http2.client, coded(gateway.url(), "br"), Buffer.buffer(json));
            assertEquals(400, unknown.status(), unknown.body());
            assertTrue(unknown.body().contains("br is not supported"), unknown.body());
            assertEquals(
                    200, post(http2.client, gateway.url(), chat("plain after")).status());
            assertEquals(1, http2.connections.get(), "every answer came on the one connection");
        }
    }

    private static RequestOptions coded(String url, String coding) {
        return options(url).putHeader("content-encoding", coding);
    }

    /**
     * A body refused by its length that then stops coming is given up after the body timeout: on HTTP/2 by resetting
     * its stream, so another request multiplexed on the same connection is still served.
     */
    @Test
    void aRefusedBodyThatStallsCostsItsStreamNotTheConnection() throws Exception {
        try (GatewayHarness gateway = gateway(TestConfig.openAi("sk-one").bodyTimeout(Duration.ofMillis(500)));
                Http2 http2 = new Http2()) {
            assertEquals(
                    200,
                    post(http2.client, gateway.url(), chat("opens the connection"))
                            .status());
            CompletableFuture<Integer> refused = new CompletableFuture<>();
            CompletableFuture<Throwable> reset = new CompletableFuture<>();
            HttpClientRequest stalled = http2.client
                    .request(options(gateway.url()).putHeader("content-length", Integer.toString(MAX_BODY_BYTES * 2)))
                    .await(10, TimeUnit.SECONDS);
            stalled.exceptionHandler(reset::complete);
            stalled.response().onSuccess(response -> refused.complete(response.statusCode()));
            stalled.write(Buffer.buffer("{\"model\":\"test-model\",")).await(10, TimeUnit.SECONDS);
            assertEquals(413, refused.get(10, TimeUnit.SECONDS), "refused by its length at once");
            Throwable cut = reset.get(10, TimeUnit.SECONDS);
            assertInstanceOf(StreamResetException.class, cut, "the stalled stream is reset: " + cut);
            Answer served = post(http2.client, gateway.url(), chat("on the same connection"));
            assertEquals(200, served.status(), served.body());
            assertEquals(1, http2.connections.get(), "every request went on the one connection");
        }
    }

    /** During the drain notice the node still serves; an HTTP/2 client is told to go elsewhere by a GOAWAY. */
    @Test
    void aDrainingNodeServesAndSaysGoAway() throws Exception {
        try (GatewayHarness gateway = gateway(TestConfig.openAi("sk-one").drainNotice(Duration.ofSeconds(3)));
                Http2 http2 = new Http2()) {
            assertEquals(200, post(http2.client, gateway.url(), chat("before")).status());
            Future<Void> stopped = gateway.node(0).stop();
            Answer served = post(http2.client, gateway.url(), chat("while draining"));
            assertEquals(HttpVersion.HTTP_2, served.version());
            assertEquals(200, served.status(), "still serving during the notice: " + served.body());
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (http2.goAways.get() == 0 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertTrue(http2.goAways.get() > 0, "the client was told to open its next streams elsewhere");
            stopped.await(20, TimeUnit.SECONDS);
        }
    }

    /**
     * A client stack other than Vert.x's: Node's own HTTP/2 client ({@code node:http2}, on nghttp2), which needs
     * Node.js and no npm package. {@code load-tests/sdk-tests/http2-client.mjs} runs its cases on one session: plain,
     * streamed, Anthropic Messages, eight at once, gzip-coded, over the limit, invalid JSON, a stream the client
     * cancels; each is answered on the session, which no GOAWAY ends.
     */
    @Test
    void nodesOwnHttp2ClientIsServedOnOneSession() throws Exception {
        try (GatewayHarness gateway = gateway(TestConfig.openAi("sk-one"))) {
            String url = gateway.url().replace("http://", "https://");
            NodeProgram.Result run = NodeProgram.run(
                    GatewayHarness.repositoryFile("load-tests/sdk-tests"),
                    60,
                    "CROSSBAR_REQUIRE_SDKS",
                    List.of("http2-client.mjs", url, GatewayHarness.CLIENT_KEY, Integer.toString(MAX_BODY_BYTES)));
            List<String> cases = run.jsonLines();
            List<String> failed =
                    cases.stream().filter(line -> !line.contains("\"ok\":true")).toList();
            String report = "http2-client.mjs exited " + run.exitCode() + "; failed:\n" + String.join("\n", failed)
                    + "\n\nall output:\n" + run.stdout() + run.stderr();
            assertTrue(failed.isEmpty(), report);
            assertEquals(0, run.exitCode(), report);
            assertEquals(10, cases.size(), report);
        }
    }

    /** A Vert.x HTTP/2 client that trusts the node's self-signed certificate and counts the GOAWAYs it receives. */
    private static final class Http2 implements AutoCloseable {
        final Vertx vertx = Vertx.vertx();
        final AtomicInteger goAways = new AtomicInteger();
        final AtomicInteger connections = new AtomicInteger();
        final HttpClient client = vertx.httpClientBuilder()
                .with(new HttpClientOptions()
                        .setSsl(true)
                        .setTrustAll(true)
                        .setVerifyHost(false)
                        .setUseAlpn(true)
                        .setProtocolVersion(HttpVersion.HTTP_2))
                .with(new PoolOptions().setHttp2MaxSize(1))
                .withConnectHandler(connection -> {
                    connections.incrementAndGet();
                    connection.goAwayHandler(goAway -> goAways.incrementAndGet());
                })
                .build();

        @Override
        public void close() throws TimeoutException {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
