package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node on Linux (x86-64 or aarch64, the platforms whose native library gateway-node ships) runs on Netty's
 * epoll transport rather than the JDK's NIO selector (issue 18 point 3: latency added per request), and serves
 * on it. Elsewhere Vert.x falls back to NIO, and this test does not apply.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NativeTransportIT {

    @Test
    void shouldServeOnTheEpollTransportOnLinux() throws Exception {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        assumeTrue(
                System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux")
                        && Set.of("amd64", "x86_64", "aarch64").contains(arch),
                "gateway-node ships epoll for Linux x86-64 and aarch64 only");
        try (GatewayHarness gateway = new GatewayHarness(
                MockConfig.of(MockKey.unlimited("sk-epoll", "openai")), TestConfig.openAi("sk-epoll"), 1)) {
            assertTrue(
                    gateway.node(0).vertx().isNativeTransportEnabled(),
                    "the node runs on the native transport: "
                            + gateway.node(0).vertx().unavailableNativeTransportCause());
            Http.Reply r = Http.post(
                    gateway.url() + "/v1/chat/completions",
                    "{\"model\":\"test-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                    Http.bearer(GatewayHarness.CLIENT_KEY));
            assertEquals(200, r.status(), r.body());
        }
    }
}
