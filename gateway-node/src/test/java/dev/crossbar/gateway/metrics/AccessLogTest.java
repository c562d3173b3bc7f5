package dev.crossbar.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crossbar.codecs.model.Usage;
import dev.crossbar.gateway.pricing.Cost;
import dev.crossbar.gateway.proxy.RequestRecord;
import dev.crossbar.gateway.upstream.KeyFingerprint;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AccessLogTest {

    private static final String SECRET = "sk-live-abcdefghijklmnop1234";

    static RequestRecord record(String model, int status, String outcome) {
        return new RequestRecord(
                "req_1a2b",
                "openai-chat",
                "web-app",
                null,
                model,
                "openai",
                "key-1",
                KeyFingerprint.of(SECRET),
                status,
                outcome,
                2,
                true,
                Usage.of(120, 45),
                12_345_678,
                10_000_000,
                4_500_000,
                250_000,
                null,
                null,
                null);
    }

    @Test
    void shouldWriteKeyValueWordsWithTheFingerprintOnly() {
        String line = AccessLog.text(record("gpt-4o", 200, "success"));
        assertEquals(
                "req_1a2b openai-chat status=200 outcome=success client=web-app model=gpt-4o provider=openai "
                        + "key=key-1 fp=sk-...1234 attempts=2 stream=true tokens_in=120 tokens_out=45 "
                        + "cost_usd=0.000000000 latency_ms=12.3 upstream_ms=10.0 first_byte_ms=4.5 queue_ms=0.2",
                line);
        assertFalse(line.contains(SECRET));
    }

    @Test
    void shouldQuoteWordsThatWouldBreakTheLine() {
        String line = AccessLog.text(record("my model=\"x\"", 404, "client_error"));
        assertTrue(line.contains(" model=\"my model=\\\"x\\\"\" "), line);
    }

    @Test
    void shouldWriteOneValidJsonObjectPerLine() throws Exception {
        String line = AccessLog.json(record("odd\"model\nname", 200, "success"), Instant.parse("2025-01-02T03:04:05Z"));
        assertFalse(line.contains("\n"), "one line");
        JsonNode json = new ObjectMapper().readTree(line);
        assertEquals("2025-01-02T03:04:05Z", json.get("ts").asText());
        assertEquals("access", json.get("log").asText());
        assertEquals("req_1a2b", json.get("request_id").asText());
        assertEquals("odd\"model\nname", json.get("model").asText());
        assertEquals("sk-...1234", json.get("key_fingerprint").asText());
        assertEquals(200, json.get("status").asInt());
        assertEquals(2, json.get("attempts").asInt());
        assertEquals(12.3, json.get("latency_ms").asDouble(), 1e-9);
        assertEquals(4.5, json.get("first_byte_ms").asDouble(), 1e-9);
        assertFalse(line.contains(SECRET));
    }

    @Test
    void shouldLeaveOutUnknownFieldsInWordsAndWriteNullInJson() throws Exception {
        RequestRecord r = new RequestRecord(
                "req_9",
                "anthropic",
                null,
                null,
                null,
                null,
                null,
                null,
                401,
                "unauthorized",
                0,
                false,
                Usage.of(0, 0),
                1_000_000,
                0,
                -1,
                0,
                null,
                null,
                null);
        assertEquals(
                "req_9 anthropic status=401 outcome=unauthorized attempts=0 stream=false tokens_in=0 tokens_out=0 "
                        + "cost_usd=0.000000000 latency_ms=1.0 upstream_ms=0.0 queue_ms=0.0",
                AccessLog.text(r));
        JsonNode json = new ObjectMapper().readTree(AccessLog.json(r, Instant.EPOCH));
        assertTrue(json.get("model").isNull());
        assertFalse(json.has("first_byte_ms"));
    }

    @Test
    void shouldNameTheBuiltinToolsAProviderDidNotGet() throws Exception {
        RequestRecord r = new RequestRecord(
                "req_3",
                "openai-responses",
                "codex",
                null,
                "m",
                "anthropic",
                "k",
                null,
                200,
                "success",
                1,
                true,
                Usage.of(1, 1),
                1_000_000,
                500_000,
                100_000,
                0,
                "web_search,image_generation",
                null,
                null);
        assertTrue(AccessLog.text(r).endsWith(" dropped_tools=web_search,image_generation"), AccessLog.text(r));
        JsonNode json = new ObjectMapper().readTree(AccessLog.json(r, Instant.EPOCH));
        assertEquals("web_search,image_generation", json.get("dropped_tools").asText());
        assertFalse(AccessLog.text(record("m", 200, "success")).contains("dropped_tools"));
    }

    static RequestRecord priced(Usage usage, Cost cost) {
        return new RequestRecord(
                "req_7",
                "anthropic",
                "web-app",
                "search",
                "claude",
                "anthropic",
                "key-1",
                null,
                200,
                "success",
                1,
                true,
                usage,
                1_000_000,
                900_000,
                100_000,
                0,
                null,
                null,
                cost);
    }

    @Test
    void shouldWriteTokensByKindAndTheCostWithNineDecimals() throws Exception {
        Usage usage = new Usage(17_095, 503, 10_200, 4_800, 3_500, 410);
        RequestRecord r = priced(usage, new Cost.Known(new BigDecimal("0.0645875"), false));
        String line = AccessLog.text(r);
        assertTrue(
                line.contains(" tokens_in=17095 tokens_out=503 tokens_cache_read=10200 tokens_cache_write=4800 "
                        + "tokens_cache_write_1h=3500 tokens_reasoning=410 cost_usd=0.064587500 latency_ms="),
                line);
        String jsonLine = AccessLog.json(r, Instant.EPOCH);
        assertTrue(jsonLine.contains("\"cost_usd\":0.064587500,"), jsonLine);
        JsonNode json = new ObjectMapper().readTree(jsonLine);
        assertEquals(10_200, json.get("tokens_cache_read").asLong());
        assertEquals(3_500, json.get("tokens_cache_write_1h").asLong());
        assertTrue(json.get("priced").asBoolean());
        assertEquals("search", json.get("team").asText());
        assertTrue(
                line.startsWith("req_7 anthropic status=200 outcome=success client=web-app team=search model=claude "),
                line);
        assertFalse(json.get("cost_estimated").asBoolean());
    }

    @Test
    void shouldSayWhenTheCostIsUnknownOrEstimatedAndNeverWriteZeroForIt() throws Exception {
        RequestRecord unpriced = priced(Usage.of(10, 5), new Cost.Unpriced("vllm", "my-finetune"));
        String line = AccessLog.text(unpriced);
        assertTrue(line.contains(" tokens_out=5 priced=false latency_ms="), line);
        assertFalse(line.contains("cost_usd"), line);
        JsonNode json = new ObjectMapper().readTree(AccessLog.json(unpriced, Instant.EPOCH));
        assertTrue(json.get("cost_usd").isNull());
        assertFalse(json.get("priced").asBoolean());

        RequestRecord estimated = priced(Usage.ZERO, new Cost.Known(new BigDecimal("0.0000000004"), true));
        assertTrue(
                AccessLog.text(estimated).contains(" cost_usd=0.000000000 cost_estimated=true "),
                AccessLog.text(estimated));
    }
}
