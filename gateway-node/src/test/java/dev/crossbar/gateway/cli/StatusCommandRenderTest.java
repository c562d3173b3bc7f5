package dev.crossbar.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusCommandRenderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldRenderStatesInWordsAndAlignColumns() throws Exception {
        JsonNode cluster = JSON.readTree("""
                {"cluster":"prod","size":2,"self":"aaaaaaaa-1","now":100000,
                 "totals":{"requestsPerSecond":12.34,"inFlight":3},
                 "members":[
                  {"id":"aaaaaaaa-1","address":"10.0.0.1:5701","self":true,"reporting":true,"http":"http://10.0.0.1:8080",
                   "version":"1.0","uptimeSeconds":3725,"requestsPerSecond":10.0,"inFlight":3},
                  {"id":"bbbbbbbb-2","address":"10.0.0.2:5701","self":false,"reporting":false}]}""");
        JsonNode keys = JSON.readTree("""
                {"now":100000,"clientKeys":[],"keys":[
                 {"id":"openai-1","provider":"openai","fingerprint":"sk-...1234","state":"active","headroom":0.5,
                  "use":{"requests":{"limit":600,"used":300,"ratio":0.5},"tokens":{"limit":0,"used":0},
                         "concurrent":{"limit":10,"used":1,"ratio":0.1}},
                  "stats":{"successes":1200,"failures":3,"rateLimited":1,"meanLatencyMillis":812.6},"nodes":["a","b"]},
                 {"id":"openai-long-name-2","provider":"openai","fingerprint":"sk-...5678","state":"cooling_down",
                  "reason":"429 from openai","until":112400,"headroom":0,
                  "use":{"requests":{"limit":600,"used":600,"ratio":1.0}},"stats":{"successes":0,"failures":1,"rateLimited":1},
                  "nodes":[]}]}""");
        String out = StatusCommand.render(cluster, keys, null);
        assertTrue(out.startsWith("Cluster 'prod': 2 members, 12.3 req/s, 3 in flight\n"), out);
        assertTrue(out.contains("* aaaaaaaa  10.0.0.1:5701"), out);
        assertTrue(out.contains("1h 2m"), out);
        assertTrue(out.contains("(no report yet)"), out);
        List<String> lines = out.lines().toList();
        String head =
                lines.stream().filter(l -> l.startsWith("  KEY ")).findFirst().orElseThrow();
        String one = lines.stream()
                .filter(l -> l.startsWith("  openai-1 "))
                .findFirst()
                .orElseThrow();
        String two = lines.stream()
                .filter(l -> l.startsWith("  openai-long-name-2 "))
                .findFirst()
                .orElseThrow();
        assertTrue(two.contains("cooling down 13s (429 from openai)"), two);
        assertEquals(head.indexOf("PROVIDER"), one.indexOf("openai "));
        int requests = head.indexOf("REQUESTS") + "REQUESTS".length();
        assertEquals("50%", one.substring(requests - 3, requests));
        assertEquals("100%", two.substring(requests - 4, requests));
        int tokens = head.indexOf("TOKENS") + "TOKENS".length();
        assertEquals("-", one.substring(tokens - 1, tokens), "unlimited");
        assertTrue(one.contains("813 ms"), one);
        assertTrue(two.endsWith("-      0"), "no latency yet, no lease holders: " + two);
    }

    @Test
    void shouldWriteShortDurations() {
        assertEquals("59s", StatusCommand.duration(59));
        assertEquals("1m 0s", StatusCommand.duration(60));
        assertEquals("2h 5m", StatusCommand.duration(7_500));
        assertEquals("3d 1h", StatusCommand.duration(3 * 86_400 + 3_600));
    }
}
