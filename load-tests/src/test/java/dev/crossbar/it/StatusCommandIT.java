package dev.crossbar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crossbar.gateway.cli.Args;
import dev.crossbar.gateway.cli.StatusCommand;
import dev.crossbar.launcher.Ports;
import dev.crossbar.mock.MockConfig;
import dev.crossbar.mock.MockKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** {@code crossbar status} against a running node: the tables, --json, and its answers to mistakes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(90)
class StatusCommandIT {

    private static final String SECRET_ONE = "sk-status-one-0123456789";
    private static final String SECRET_TWO = "sk-status-two-0123456789";

    private GatewayHarness gateway;

    @BeforeAll
    void start() throws Exception {
        gateway = new GatewayHarness(
                MockConfig.of(MockKey.unlimited(SECRET_ONE, "openai"), MockKey.unlimited(SECRET_TWO, "openai")),
                TestConfig.openAi(SECRET_ONE + ":600:100000:10", SECRET_TWO + ":0:0:0"),
                1);
        String hello = "{\"model\":\"test-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertEquals(
                200,
                Http.post(gateway.url() + "/v1/chat/completions", hello, Http.bearer(GatewayHarness.CLIENT_KEY))
                        .status());
        AdminClient admin = new AdminClient(gateway.url());
        assertEquals(
                200,
                admin.post("/admin/api/keys/key-2/disable", "{\"reason\":\"billing hold\"}")
                        .status());
        AdminClient.eventually(
                Duration.ofSeconds(2),
                "key-2 disabled",
                () -> "disabled".equals(admin.key("key-2").path("state").asText()));
    }

    @AfterAll
    void stop() throws Exception {
        gateway.close();
    }

    @Test
    void shouldPrintMembersAndAnAlignedKeyTable() throws Exception {
        Result r = status(Map.of(), "--url", gateway.url(), "--token", AdminClient.TOKEN);
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.startsWith("Cluster 'crossbar-it-"), out);
        assertTrue(out.contains(": 1 member,"), out);
        assertTrue(out.contains(gateway.node(0).memberId().substring(0, 8)), out);
        List<String> lines = out.lines().toList();
        int header = indexOf(lines, "KEY");
        String head = lines.get(header);
        String one =
                lines.stream().filter(l -> l.contains(" key-1 ")).findFirst().orElseThrow();
        String two =
                lines.stream().filter(l -> l.contains(" key-2 ")).findFirst().orElseThrow();
        assertTrue(one.contains("mock-openai") && one.contains("sk-...6789") && one.contains("active"), one);
        assertTrue(two.contains("disabled (billing hold)"), two);
        // Columns line up: each header word starts where its column starts (left-aligned) or ends (right).
        assertEquals(head.indexOf("PROVIDER"), one.indexOf("mock-openai"));
        assertEquals(head.indexOf("PROVIDER"), two.indexOf("mock-openai"));
        assertEquals(head.indexOf("STATE"), one.indexOf("active"));
        int requestsEnd = head.indexOf("REQUESTS") + "REQUESTS".length();
        assertEquals('%', one.charAt(requestsEnd - 1), "utilisation as a right-aligned percentage: " + one);
        assertEquals('-', two.charAt(requestsEnd - 1), "unlimited shows a dash: " + two);
        assertTrue(out.contains("HEADROOM"));
        assertTrue(out.contains("test-model"), "the models' health");
        assertFalse(out.contains(SECRET_ONE) || out.contains(SECRET_TWO));
    }

    @Test
    void shouldPrintTheRawJsonWithJsonFlagAndTakeTheTokenFromTheEnvironment() throws Exception {
        Result r = status(Map.of(StatusCommand.TOKEN_ENV, AdminClient.TOKEN), "--url", gateway.url() + "/", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = Http.JSON.readTree(r.out());
        assertEquals(1, json.at("/cluster/size").asInt());
        assertEquals("key-1", json.at("/keys/keys/0/id").asText());
        assertEquals("test-model", json.at("/models/models/0/name").asText());
    }

    @Test
    void shouldExplainAWrongTokenAnUnreachableNodeAndAMissingToken() throws Exception {
        Result wrong = status(Map.of(), "--url", gateway.url(), "--token", "not-the-token");
        assertEquals(1, wrong.code());
        assertTrue(wrong.err().contains("refused the admin token"), wrong.err());
        assertFalse(wrong.err().contains("not-the-token"));

        Result down = status(Map.of(), "--url", "http://127.0.0.1:" + Ports.free(), "--token", "whatever-token");
        assertEquals(1, down.code());
        assertTrue(down.err().contains("cannot reach"), down.err());

        Args.UsageException missing =
                assertThrows(Args.UsageException.class, () -> status(Map.of(), "--url", gateway.url()));
        assertTrue(missing.getMessage().contains(StatusCommand.TOKEN_ENV));
        assertThrows(Args.UsageException.class, () -> status(Map.of(), "--nope", "x"));
    }

    private record Result(int code, String out, String err) {}

    private static Result status(Map<String, String> env, String... argv) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = StatusCommand.run(
                new Args(argv, 0, List.of("json")),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static int indexOf(List<String> lines, String firstColumn) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().startsWith(firstColumn + " ")) {
                return i;
            }
        }
        throw new AssertionError("no line starts with " + firstColumn + ":\n" + String.join("\n", lines));
    }
}
