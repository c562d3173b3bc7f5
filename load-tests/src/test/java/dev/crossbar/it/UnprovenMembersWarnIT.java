package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.core.HazelcastInstance;
import dev.crossbar.cluster.members.MemberView;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code cluster.unprovenMembers: warn}: a member without proof of the cluster key is reported (admin API,
 * metric) but the node stays ready and keeps serving, the trade-off docs/security.md describes.
 */
@Timeout(120)
class UnprovenMembersWarnIT {

    private static final String SECRET = "sk-warn-secret-0123456789";

    @Test
    void shouldReportAnUnprovenMemberButStayReadyWhenToldToWarn() throws Exception {
        TestConfig config = TestConfig.openAi(SECRET + ":600:100000:10").unprovenMembers("warn");
        try (GatewayHarness gateway =
                new GatewayHarness(MockConfig.of(MockKey.unlimited(SECRET, "openai")), config, 1)) {
            String address = gateway.node(0).cluster().members().list().stream()
                    .filter(MemberView::local)
                    .findFirst()
                    .orElseThrow()
                    .address();
            HazelcastInstance rogue =
                    RogueMember.join(gateway.node(0).cluster().members().clusterName(), address, true);
            try {
                AdminClient admin = new AdminClient(gateway.url());
                AdminClient.eventually(
                        Duration.ofSeconds(20),
                        "the node lists the stranger as unproven",
                        () -> admin.get("/admin/api/cluster")
                                        .json()
                                        .at("/trust/unprovenMembers")
                                        .asInt()
                                == 1);
                JsonNode cluster = admin.get("/admin/api/cluster").json();
                assertEquals("warn", cluster.at("/trust/unprovenPolicy").asText(), cluster.toString());
                Http.Reply ready = Http.get(gateway.url() + "/health/ready");
                assertEquals(200, ready.status(), "warn keeps the node ready: " + ready.body());
                assertTrue(
                        Http.get(gateway.url() + "/metrics").body().contains("crossbar_cluster_unproven_members 1.0"));
            } finally {
                rogue.getLifecycleService().terminate();
            }
        }
    }
}
