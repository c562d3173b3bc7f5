package dev.crossbar.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.codecs.model.Usage;
import dev.crossbar.gateway.config.MetricsConfig;
import dev.crossbar.gateway.pricing.Cost;
import dev.crossbar.gateway.proxy.RequestRecord;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class RequestMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RequestMetrics metrics = new RequestMetrics(registry);

    @Test
    void shouldCountRequestsTokensAndLatenciesUnderPrometheusNames() {
        RequestRecord ok = AccessLogTest.record("gpt-4o", 200, "success");
        metrics.completed(ok);
        metrics.completed(ok);
        metrics.retried("openai", "key-1", "429 from openai", false);
        metrics.retried("openai", null, "no capacity", true);
        metrics.queued("gpt-4o", 5_000_000, true);
        metrics.queued("gpt-4o", 0, false);
        String text = registry.scrape();
        assertTrue(
                text.contains("crossbar_requests_total{model=\"gpt-4o\",outcome=\"success\",protocol=\"openai-chat\","
                        + "provider=\"openai\"} 2.0"),
                text);
        assertTrue(text.contains("crossbar_tokens_total{direction=\"in\",model=\"gpt-4o\",provider=\"openai\"} 240.0"));
        assertTrue(text.contains("crossbar_tokens_total{direction=\"out\",model=\"gpt-4o\",provider=\"openai\"} 90.0"));
        assertTrue(text.contains("crossbar_retries_total{provider=\"openai\",reason=\"rate_limited\"} 1.0"));
        assertTrue(text.contains("crossbar_failovers_total{provider=\"openai\"} 1.0"));
        assertTrue(text.contains("crossbar_queue_wait_seconds_count{model=\"gpt-4o\"} 1"));
        assertTrue(text.contains("crossbar_queue_rejections_total{model=\"gpt-4o\"} 1.0"));
        assertTrue(text.contains("# TYPE crossbar_added_latency_seconds histogram"));
        // added = total 12.35 ms - upstream 10 ms - queue 0.25 ms = 2.1 ms: in the 2.5 ms bucket, not the 1 ms one.
        assertTrue(
                text.contains("crossbar_added_latency_seconds_bucket{protocol=\"openai-chat\",provider=\"openai\","
                        + "le=\"0.0025\"} 2"),
                text);
        assertTrue(
                text.contains("crossbar_added_latency_seconds_bucket{protocol=\"openai-chat\",provider=\"openai\","
                        + "le=\"0.001\"} 0"),
                text);
        assertTrue(text.contains("crossbar_upstream_first_byte_seconds_count{provider=\"openai\"} 2"));
        assertTrue(text.contains("crossbar_upstream_duration_seconds_sum{provider=\"openai\"} 0.02"));
        assertEquals(2, metrics.completedCount());
    }

    private static RequestRecord spent(String client, String team, Cost cost) {
        return new RequestRecord(
                "r",
                "openai-chat",
                client,
                team,
                "gpt-4o",
                "openai",
                "key-1",
                null,
                200,
                "success",
                1,
                false,
                Usage.of(10, 5),
                1_000,
                500,
                100,
                0,
                null,
                null,
                cost);
    }

    @Test
    void shouldSumCostByClientTeamModelAndProviderAndCountUnpricedRequestsApart() {
        Cost cent = new Cost.Known(new BigDecimal("0.01"), false);
        metrics.completed(spent("web", "search", cent));
        metrics.completed(spent("web", "search", cent));
        metrics.completed(spent("batch", null, new Cost.Unpriced("openai", "gpt-4o")));
        metrics.completed(spent("batch", null, Cost.NONE));
        String text = registry.scrape();
        assertTrue(
                text.contains("crossbar_cost_usd_total{client=\"web\",model=\"gpt-4o\",provider=\"openai\","
                        + "team=\"search\"} 0.02"),
                text);
        assertTrue(
                text.contains("crossbar_requests_unpriced_total{client=\"batch\",model=\"gpt-4o\","
                        + "provider=\"openai\",team=\"none\"} 1.0"),
                text);
        assertTrue(!text.contains("crossbar_cost_usd_total{client=\"batch\""), "nothing spent is no series: " + text);
    }

    @Test
    void shouldCountClientsAndTeamsBeyondTheBoundAsOther() {
        PrometheusMeterRegistry bounded = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RequestMetrics m = new RequestMetrics(bounded, new MetricsConfig(2, 1));
        Cost cent = new Cost.Known(new BigDecimal("0.01"), false);
        for (int i = 0; i < 5; i++) {
            m.completed(spent("client-" + i, "team-" + i, cent));
        }
        m.completed(spent("client-0", "team-0", cent));
        String text = bounded.scrape();
        assertTrue(
                text.contains("{client=\"client-0\",model=\"gpt-4o\",provider=\"openai\",team=\"team-0\"} 0.02"), text);
        assertTrue(
                text.contains("{client=\"client-1\",model=\"gpt-4o\",provider=\"openai\",team=\"other\"} 0.01"), text);
        assertTrue(text.contains("{client=\"other\",model=\"gpt-4o\",provider=\"openai\",team=\"other\"} 0.03"), text);
        assertEquals(
                3,
                text.lines()
                        .filter(l -> l.startsWith("crossbar_cost_usd_total{"))
                        .count(),
                text);
    }

    @Test
    void shouldBuildEachLabelCombinationOnce() {
        RequestRecord ok = AccessLogTest.record("gpt-4o", 200, "success");
        metrics.completed(ok);
        int meters = registry.getMeters().size();
        for (int i = 0; i < 100; i++) {
            metrics.completed(ok);
        }
        assertEquals(meters, registry.getMeters().size());
        metrics.completed(AccessLogTest.record("other-model", 200, "success"));
        assertTrue(registry.getMeters().size() > meters);
    }

    @Test
    void shouldLabelUnknownModelsAndProvidersAsNone() {
        metrics.completed(new RequestRecord(
                "r",
                "gemini",
                null,
                null,
                null,
                null,
                null,
                null,
                404,
                "client_error",
                0,
                false,
                Usage.of(0, 0),
                1_000,
                0,
                -1,
                0,
                null,
                null,
                null));
        assertTrue(registry.scrape()
                .contains("crossbar_requests_total{model=\"none\",outcome=\"client_error\","
                        + "protocol=\"gemini\",provider=\"none\"} 1.0"));
    }

    @Test
    void shouldMapFreeTextReasonsToAFewWords() {
        assertEquals("rate_limited", RequestMetrics.reasonLabel("429 from openai"));
        assertEquals("unauthorized", RequestMetrics.reasonLabel("401 from anthropic"));
        assertEquals("unauthorized", RequestMetrics.reasonLabel("403 from anthropic"));
        assertEquals("timeout", RequestMetrics.reasonLabel("408 from x"));
        assertEquals("upstream_5xx", RequestMetrics.reasonLabel("503 from gemini"));
        assertEquals("upstream_error", RequestMetrics.reasonLabel("409 from gemini"));
        assertEquals("unauthorized", RequestMetrics.reasonLabel("key refused: 400 API_KEY_INVALID from gemini"));
        assertEquals("out_of_credit", RequestMetrics.reasonLabel("out of credit: 429 insufficient_quota from openai"));
        assertEquals("no_capacity", RequestMetrics.reasonLabel("no capacity"));
        assertEquals("malformed_answer", RequestMetrics.reasonLabel("malformed answer"));
        assertEquals("stream_broken", RequestMetrics.reasonLabel("empty stream"));
        assertEquals("stream_broken", RequestMetrics.reasonLabel("stream broke: VertxException"));
        assertEquals("connection", RequestMetrics.reasonLabel("ConnectException: Connection refused"));
        assertEquals("timeout", RequestMetrics.reasonLabel("NoStackTraceTimeoutException: idle"));
        assertEquals("other", RequestMetrics.reasonLabel("something new"));
        assertEquals("other", RequestMetrics.reasonLabel(null));
    }
}
