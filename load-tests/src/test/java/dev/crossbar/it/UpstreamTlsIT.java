package dev.crossbar.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.gateway.config.ProviderKeyConfig;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PfxOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Providers behind TLS: HTTP/2 is negotiated through ALPN when offered, HTTP/1.1 when a provider turns
 * it off, certificates are checked against the provider's own CA file, and an untrusted certificate is
 * a clear 502, not a connection the gateway trusts anyway.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(90)
class UpstreamTlsIT {

    private static final String PASSWORD = "changeit";
    private static final String ANSWER = """
            {"id":"chatcmpl-tls","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,
            "message":{"role":"assistant","content":"over tls"},"finish_reason":"stop"}],
            "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""";
    private static final String CHUNK = """
            data: {"id":"chatcmpl-tls","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,\
            "delta":{"content":"%s"},"finish_reason":%s}]}

            """;

    private final Vertx vertx = Vertx.vertx();
    private final List<HttpVersion> versions = new CopyOnWriteArrayList<>();
    private HttpServer upstream;
    private GatewayHarness gateway;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("upstream.p12");
        Path ca = dir.resolve("upstream-ca.pem");
        keytool(
                "-genkeypair",
                "-alias",
                "upstream",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "san=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD);
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "upstream",
                "-keystore",
                keystore.toString(),
                "-storepass",
                PASSWORD,
                "-file",
                ca.toString());
        upstream = vertx.createHttpServer(new HttpServerOptions()
                        .setHost("127.0.0.1")
                        .setPort(0)
                        .setSsl(true)
                        .setUseAlpn(true)
                        .setKeyCertOptions(
                                new PfxOptions().setPath(keystore.toString()).setPassword(PASSWORD)))
                .requestHandler(request -> request.body().onSuccess(body -> {
                    versions.add(request.version());
                    if (body.toString().contains("\"stream\":true")) {
                        request.response()
                                .putHeader("content-type", "text/event-stream")
                                .end(CHUNK.formatted("over ", "null") + CHUNK.formatted("tls", "\"stop\"")
                                        + "data: [DONE]\n\n");
                    } else {
                        request.response()
                                .putHeader("content-type", "application/json")
                                .end(ANSWER);
                    }
                }))
                .listen()
                .await(10, TimeUnit.SECONDS);
        String base = "https://127.0.0.1:" + upstream.actualPort() + "/v1";
        gateway = new GatewayHarness(
                MockConfig.of(MockKey.unlimited("sk-unused-0123456789", "openai")), config(base, ca.toString()), 1);
    }

    /** Three providers on the upstream at {@code baseUrl}: trusting its CA over HTTP/2 or HTTP/1.1, and not. */
    static TestConfig config(String baseUrl, String caCertificate) {
        return TestConfig.providers(
                        TestProvider.at("over-h2", "openai", baseUrl)
                                .caCertificate(caCertificate)
                                .keys(ProviderKeyConfig.of("h2-key", "sk-tls-one-0123456789")),
                        TestProvider.at("over-h1", "openai", baseUrl)
                                .caCertificate(caCertificate)
                                .http2(false)
                                .keys(ProviderKeyConfig.of("h1-key", "sk-tls-two-0123456789")),
                        TestProvider.at("untrusted", "openai", baseUrl)
                                .keys(ProviderKeyConfig.of("untrusted-key", "sk-tls-three-0123456789")))
                .withNodeDefaults()
                .models(
                        TestConfig.model("h2-model", "over-h2", "m"),
                        TestConfig.model("h1-model", "over-h1", "m"),
                        TestConfig.model("untrusted-model", "untrusted", "m"))
                .maxAttempts(1);
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    /**
     * Also the regression test for the 502 every HTTP/2 answer got at first: Vert.x reports the bytes of
     * an ALPN HTTP/2 connection with no connection metric, and Micrometer's byte counter threw on it.
     */
    @Test
    void shouldTalkHttp2ToATlsProviderTrustingItsOwnCa() throws Exception {
        versions.clear();
        Http.Reply plain = chat("h2-model", false);
        assertEquals(200, plain.status(), plain.body());
        assertEquals("over tls", plain.json().at("/choices/0/message/content").asText());
        Http.Reply streamed = chat("h2-model", true);
        assertEquals(200, streamed.status(), streamed.body());
        assertTrue(streamed.body().contains("\"over \"") && streamed.body().contains("\"tls\""), streamed.body());
        assertTrue(streamed.body().trim().endsWith("data: [DONE]"), streamed.body());
        assertEquals(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_2), versions);
    }

    @Test
    void shouldUseHttp11WhenTheProviderTurnsHttp2Off() throws Exception {
        versions.clear();
        Http.Reply plain = chat("h1-model", false);
        assertEquals(200, plain.status(), plain.body());
        assertEquals(List.of(HttpVersion.HTTP_1_1), versions);
    }

    @Test
    void shouldRefuseAnUntrustedCertificateWithA502() throws Exception {
        versions.clear();
        Http.Reply r = chat("untrusted-model", false);
        assertEquals(502, r.status(), r.body());
        assertEquals("bad_gateway", r.json().at("/error/code").asText(), r.body());
        assertFalse(r.body().contains("sk-tls-three"), r.body());
        assertTrue(versions.isEmpty(), "no request reached a server the gateway does not trust");
    }

    private Http.Reply chat(String model, boolean stream) throws Exception {
        String body = """
                {"model":"%s","stream":%s,"messages":[{"role":"user","content":"hello"}]}""".formatted(model, stream);
        return Http.post(gateway.url() + "/v1/chat/completions", body, Http.bearer(GatewayHarness.CLIENT_KEY));
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + output);
    }
}
