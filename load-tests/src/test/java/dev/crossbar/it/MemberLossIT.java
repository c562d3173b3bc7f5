package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.cluster.ledger.KeyState;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A node that dies without warning (its member terminated, as by kill -9) takes nothing the others need. */
class MemberLossIT {

    private static final String HELLO = """
            {"model":"test-model","messages":[{"role":"user","content":"still there?"}]}""";

    @Test
    void survivorsReclaimADeadNodesLeasesAndKeepServing() throws Exception {
        MockConfig mock = MockConfig.of(
                new MockKey("sk-a", "openai", 1_000L, null, 20, Duration.ofSeconds(60)),
                new MockKey("sk-b", "openai", 1_000L, null, 20, Duration.ofSeconds(60)));
        try (GatewayHarness gateway =
                new GatewayHarness(mock, TestConfig.openAi("sk-a:1000:0:20:60s", "sk-b:1000:0:20:60s"), 3)) {
            for (int i = 0; i < 12; i++) {
                assertEquals(
                        200,
                        Http.post(
                                        gateway.url(i % 3) + "/v1/chat/completions",
                                        HELLO,
                                        Http.bearer(GatewayHarness.CLIENT_KEY))
                                .status());
            }
            String doomed = gateway.node(2).memberId();
            Map<String, KeyState> view = gateway.node(0).ledger().snapshot();
            assertTrue(holdsLeases(view, doomed), "the node about to die holds leases");
            long successesBefore = successes(view);

            gateway.node(2).kill().await(20, TimeUnit.SECONDS);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (holdsLeases(gateway.node(0).ledger().snapshot(), doomed)) {
                assertTrue(System.nanoTime() < deadline, "the dead node's leases were never reclaimed");
                Thread.sleep(50);
            }
            long reclaimedAfter =
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - deadline + TimeUnit.SECONDS.toNanos(20));
            System.out.println("dead node's leases reclaimed after " + reclaimedAfter + " ms");
            assertTrue(
                    successes(gateway.node(1).ledger().snapshot()) >= successesBefore - 4,
                    "counts survive the loss of a member (one backup)");
            for (int i = 0; i < 6; i++) {
                Http.Reply r = Http.post(
                        gateway.url(i % 2) + "/v1/chat/completions", HELLO, Http.bearer(GatewayHarness.CLIENT_KEY));
                assertEquals(200, r.status(), r.body());
            }
            assertEquals(
                    0,
                    gateway.mock().stats().keys().values().stream()
                            .mapToLong(k -> k.rateLimited())
                            .sum());
        }
    }

    private static boolean holdsLeases(Map<String, KeyState> states, String node) {
        return states.values().stream().anyMatch(s -> s.leases().containsKey(node));
    }

    private static long successes(Map<String, KeyState> states) {
        return List.copyOf(states.values()).stream()
                .mapToLong(KeyState::successes)
                .sum();
    }
}
