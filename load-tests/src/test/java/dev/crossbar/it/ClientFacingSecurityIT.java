package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.gateway.config.LimitsConfig;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** TLS on the client-facing port, and a client key's own limits, counted cluster-wide. */
class ClientFacingSecurityIT {

    private static final String HELLO = """
            {"model":"test-model","messages":[{"role":"user","content":"over tls"}]}""";

    @Test
    void shouldServeHttpsFromPemFiles() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
        TestConfig config = TestConfig.openAi("sk-one")
                .tls(cert.certificatePath().toString(), cert.privateKeyPath().toString());
        try (GatewayHarness gateway =
                new GatewayHarness(MockConfig.of(MockKey.unlimited("sk-one", "openai")), config, 1)) {
            int port = java.net.URI.create(gateway.url()).getPort();
            Vertx vertx = Vertx.vertx();
            try {
                var client = vertx.createHttpClient(
                        new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
                Buffer body = client.request(new RequestOptions()
                                .setMethod(HttpMethod.POST)
                                .setHost("127.0.0.1")
                                .setPort(port)
                                .setURI("/v1/chat/completions")
                                .putHeader("authorization", "Bearer " + GatewayHarness.CLIENT_KEY)
                                .putHeader("content-type", "application/json"))
                        .compose(req -> req.send(HELLO).compose(resp -> resp.body()))
                        .await(20, TimeUnit.SECONDS);
                assertTrue(body.toString().contains("echo: over tls"), body.toString());
            } finally {
                vertx.close().await(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void shouldHoldAClientKeyToItsOwnLimitAcrossNodes() throws Exception {
        TestConfig config = TestConfig.openAi("sk-one")
                .clientKeys(TestConfig.clientKey(
                        "test", GatewayHarness.CLIENT_KEY, new LimitsConfig(3L, null, null, Duration.ofMinutes(1))));
        try (GatewayHarness gateway =
                new GatewayHarness(MockConfig.of(MockKey.unlimited("sk-one", "openai")), config, 2)) {
            int ok = 0;
            int limited = 0;
            for (int i = 0; i < 6; i++) {
                Http.Reply r = Http.post(
                        gateway.url(i % 2) + "/v1/chat/completions", HELLO, Http.bearer(GatewayHarness.CLIENT_KEY));
                if (r.status() == 200) {
                    ok++;
                } else {
                    assertEquals(429, r.status(), r.body());
                    assertTrue(r.json().at("/error/message").asText().contains("client key"), r.body());
                    limited++;
                }
            }
            assertEquals(3, ok, "three per minute, whichever node is asked");
            assertEquals(3, limited);
        }
    }
}
