package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.gateway.config.KeyHealthConfig;
import dev.crossbar.mock.Fault;
import dev.crossbar.mock.FaultPlan;
import dev.crossbar.mock.KeyStats;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import dev.crossbar.mock.MockProviders;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keys that come back (issue 17 point 6), through real nodes and the OpenAI mock: a key the provider refused
 * is checked on a schedule with one call to the models list, by one node of the cluster per interval, and
 * returns to rotation once the provider accepts it again; a key that answers server errors stays in rotation
 * until the Nth error within the window.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KeyChecksIT {

    private static final String SICK = "sk-openai-sick-0123456789abcdef";
    private static final String GOOD = "sk-openai-good-0123456789abcdef";

    /** Two keys, the sick one first, with this key health policy. */
    static TestConfig config(KeyHealthConfig keyHealth) {
        return TestConfig.openAi()
                .withNodeDefaults()
                .adminToken(AdminClient.TOKEN)
                .keys(TestConfig.key("sick", SICK), TestConfig.key("good", GOOD))
                .models(TestConfig.model("demo-openai", TestConfig.PROVIDER, "gpt-4o-mini"))
                .queueTimeout(Duration.ofSeconds(1))
                .keyHealth(keyHealth);
    }

    private static MockConfig mock() {
        return MockConfig.of(MockKey.unlimited(SICK, "openai"), MockKey.unlimited(GOOD, "openai"));
    }

    private static void ask(GatewayHarness gateway, int node, int n) throws Exception {
        Http.Reply r = ClientProtocol.CHAT.send(
                gateway.url(node), GatewayHarness.CLIENT_KEY, "demo-openai", Conversation.ask("hello " + n), false);
        assertEquals("echo: hello " + n, ClientProtocol.CHAT.read(r, false).text(), r.body());
    }

    private static KeyStats sick(MockProviders mock) {
        return mock.stats().keys().get(SICK);
    }

    private static long modelListCalls(MockProviders mock) {
        return mock.requests().stream()
                .filter(r -> "GET".equals(r.method()) && r.path().endsWith("/models"))
                .filter(r -> ("Bearer " + SICK).equals(r.header("authorization")))
                .count();
    }

    private static void await(BooleanSupplier condition, long millis, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "within " + millis + " ms: " + what);
            Thread.sleep(25);
        }
    }

    private static String state(AdminClient admin) {
        try {
            return admin.key("sick").path("state").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldCheckARefusedKeyOncePerIntervalAcrossTheClusterAndBringItBackWhenTheProviderAcceptsIt()
            throws Exception {
        try (GatewayHarness gateway = new GatewayHarness(
                mock().withRevokedKeys(Set.of(SICK)),
                config(new KeyHealthConfig(null, null, Duration.ofSeconds(1))),
                2)) {
            int sent = 0;
            while (sent < 40 && sick(gateway.mock()).unauthorized() == 0) {
                ask(gateway, sent % 2, sent++);
            }
            AdminClient admin = new AdminClient(gateway.url());
            await(() -> "disabled".equals(state(admin)), 2_000, "the refused key leaves rotation");

            await(() -> modelListCalls(gateway.mock()) >= 2, 10_000, "two scheduled checks");
            long firstSeen = System.nanoTime();
            long before = modelListCalls(gateway.mock());
            Thread.sleep(3_000); // a span of checks to count: two nodes, one check per second between them
            long checks = modelListCalls(gateway.mock()) - before;
            double seconds = (System.nanoTime() - firstSeen) / 1e9;
            assertTrue(
                    checks <= Math.ceil(seconds) + 1,
                    checks + " checks in " + seconds + " s: one per interval for the cluster, not one per node");
            JsonNode refused = admin.key("sick");
            assertEquals("disabled", refused.path("state").asText(), refused.toString());
            assertEquals(
                    "401 from GET /models",
                    refused.path("lastCheck").path("result").asText(),
                    refused.toString());
            assertEquals(0, sick(gateway.mock()).served(), "a check is no chat call");

            gateway.mock().setRevokedKeys(Set.of());
            await(() -> !"disabled".equals(state(admin)), 5_000, "the accepted key comes back");
            assertEquals(
                    "200 from GET /models",
                    admin.key("sick").path("lastCheck").path("result").asText());
            for (int i = 0; i < 40 && sick(gateway.mock()).served() == 0; i++) {
                ask(gateway, i % 2, sent++);
            }
            assertTrue(sick(gateway.mock()).served() > 0, "the key serves again");
        }
    }

    @Test
    void shouldNeverCheckWhenChecksAreOff() throws Exception {
        try (GatewayHarness gateway = new GatewayHarness(
                mock().withRevokedKeys(Set.of(SICK)), config(new KeyHealthConfig(null, null, null)), 1)) {
            int sent = 0;
            while (sent < 40 && sick(gateway.mock()).unauthorized() == 0) {
                ask(gateway, 0, sent++);
            }
            AdminClient admin = new AdminClient(gateway.url());
            await(() -> "disabled".equals(state(admin)), 2_000, "the refused key leaves rotation");
            gateway.mock().setRevokedKeys(Set.of());
            Thread.sleep(1_500);
            assertEquals(0, modelListCalls(gateway.mock()), "no checks unless configured");
            assertEquals("disabled", state(admin), "the key waits for an admin");
        }
    }

    @Test
    void shouldKeepAKeyInRotationUntilItsThirdServerErrorWithinTheWindow() throws Exception {
        MockConfig sickAnswers500 = mock().withKeyFaults(
                        Map.of(SICK, FaultPlan.builder().serverErrorShare(1.0).build()));
        try (GatewayHarness gateway =
                new GatewayHarness(sickAnswers500, config(new KeyHealthConfig(3, Duration.ofSeconds(60), null)), 1)) {
            AdminClient admin = new AdminClient(gateway.url());
            int sent = 0;
            for (long errors = 1; errors <= 2; errors++) {
                long wanted = errors;
                while (sent < 60 && sick(gateway.mock()).injected(Fault.SERVER_ERROR) < wanted) {
                    ask(gateway, 0, sent++);
                }
                assertEquals(wanted, sick(gateway.mock()).injected(Fault.SERVER_ERROR));
                long quiet = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
                while (System.nanoTime() < quiet) {
                    assertNotEquals("cooling_down", state(admin), "error " + wanted + " of 3 cools nothing down");
                    Thread.sleep(25);
                }
            }
            while (sent < 60 && sick(gateway.mock()).injected(Fault.SERVER_ERROR) < 3) {
                ask(gateway, 0, sent++);
            }
            assertEquals(3, sick(gateway.mock()).injected(Fault.SERVER_ERROR), "still in rotation after two");
            await(() -> "cooling_down".equals(state(admin)), 900, "the third error cools the key down");
        }
    }
}
