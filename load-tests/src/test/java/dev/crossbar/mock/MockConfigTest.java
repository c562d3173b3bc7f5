package dev.crossbar.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MockConfigTest {

    static JsonNode json(String s) {
        return OpenAiMockTest.parse(s);
    }

    static String failure(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void shouldReadTheDocumentedJsonForm() {
        MockConfig c = MockConfig.fromJson(json("{\"port\":0,\"eventLoops\":2,\"keys\":["
                + "{\"secret\":\"a\",\"provider\":\"openai\",\"requestsPerWindow\":5,\"tokensPerWindow\":100,"
                + "\"maxConcurrent\":3,\"windowMs\":1500},{\"secret\":\"b\",\"provider\":\"gemini\"}],"
                + "\"faults\":{\"ttfbMs\":10,\"serverErrorShare\":0.1},\"keyFaults\":{\"b\":{\"stallShare\":1}},"
                + "\"revokedKeys\":[\"a\"],\"noCreditKeys\":[\"b\"]}"));
        assertEquals(
                new MockKey("a", "openai", 5L, 100L, 3, Duration.ofMillis(1500)),
                c.keys().get(0));
        assertEquals(MockKey.DEFAULT_WINDOW, c.keys().get(1).window());
        assertEquals(2, c.eventLoops());
        assertEquals(10, c.faults().ttfbMs());
        assertEquals(0.1, c.faults().serverErrorShare());
        assertEquals(1.0, c.keyFaults().get("b").stallShare());
        assertEquals(Set.of("a"), c.revokedKeys());
        assertEquals(Set.of("b"), c.noCreditKeys());
        assertEquals(c, MockConfig.fromJson(c.toJson()), "round trip");
    }

    @Test
    void shouldNameTheFieldAndValueOfABadKey() {
        String msg = failure(() -> MockConfig.fromJson(json("{\"keys\":[{\"secret\":\"a\",\"provider\":\"openai\"},"
                + "{\"secret\":\"b\",\"provider\":\"openai\",\"requestsPerWindow\":-5}]}")));
        assertEquals("keys[1].requestsPerWindow must be > 0, was -5", msg);
        assertTrue(failure(() -> MockKey.unlimited("k", "mistral")).contains("provider"));
        assertTrue(
                failure(() -> new MockKey("k", "openai", null, null, 0, null)).startsWith("maxConcurrent"));
        assertTrue(failure(() -> new MockKey("k", "openai", Long.MAX_VALUE / 2, null, null, null))
                .startsWith("requestsPerWindow"));
    }

    @Test
    void shouldRejectDuplicateSecretsAndUnknownReferences() {
        MockKey a = MockKey.unlimited("a", "openai");
        assertTrue(failure(() -> MockConfig.of(a, a)).contains("keys[1].secret must be unique"));
        assertTrue(failure(() -> MockConfig.of(a).withRevokedKeys(Set.of("x"))).contains("revokedKeys"));
        assertTrue(failure(() -> MockConfig.of(a).withNoCreditKeys(Set.of("x"))).contains("noCreditKeys"));
        assertTrue(failure(() -> MockConfig.of(a).withKeyFaults(Map.of("x", FaultPlan.NONE)))
                .contains("keyFaults"));
        assertTrue(failure(() -> MockConfig.of(a).withPort(70000)).startsWith("port"));
    }

    @Test
    void shouldRejectUnknownFieldsSoTyposDoNotPassSilently() {
        String msg = failure(() -> MockConfig.fromJson(json("{\"faults\":{\"ttfb\":10}}")));
        assertTrue(msg.startsWith("faults.unknown field ttfb"), msg);
    }

    @Test
    void shouldValidateFaultPlanFields() {
        assertEquals(
                "dropShare must be within 0..1, was -0.1",
                failure(() -> FaultPlan.builder().dropShare(-0.1).build()));
        assertEquals(
                "ttfbMs must be >= 0, was -1",
                failure(() -> FaultPlan.builder().ttfbMs(-1).build()));
    }

    @Test
    void shouldServeNineDefaultKeysThreePerProvider() {
        List<MockKey> keys = MockConfig.defaultKeys();
        assertEquals(9, keys.size());
        assertEquals("mock-openai-1", keys.get(0).secret());
        assertEquals("mock-gemini-3", keys.get(8).secret());
    }
}
