package dev.crossbar.gateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.gateway.config.ProviderConfig;
import dev.crossbar.gateway.config.ProviderKeyConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamTest {

    @Test
    void shouldCarryTheKeyOfEachCallAndTheNewSecretOnceAKeyIsRotated() {
        ProviderKey first = key("k1", "sk-first");
        ProviderKey second = key("k2", "sk-second");
        Upstream upstream = upstream("openai", "https://api.example.test/v1", List.of(first, second));

        RequestOptions call = upstream.post("/chat/completions", first, false);
        assertEquals("Bearer sk-first", call.getHeaders().get(HttpHeaders.AUTHORIZATION));
        assertEquals("application/json", call.getHeaders().get(HttpHeaders.CONTENT_TYPE));
        assertNull(call.getHeaders().get(HttpHeaders.ACCEPT));
        assertEquals("/v1/chat/completions", call.getURI());
        assertEquals(HttpMethod.POST, call.getMethod());
        assertEquals(-1, call.getIdleTimeout(), "no Vert.x timer per call: the caller keeps the deadline");
        assertEquals(Duration.ofSeconds(7).toMillis(), upstream.answerTimeoutMillis(false));
        assertEquals(
                "Bearer sk-second",
                upstream.post("/chat/completions", second, false).getHeaders().get(HttpHeaders.AUTHORIZATION));

        // Same id, new secret: the next call carries the new one, never the old one's cached headers.
        ProviderKey rotated = key("k1", "sk-rotated");
        upstream.replaceKeys(List.of(rotated, second));
        assertEquals(
                "Bearer sk-rotated",
                upstream.post("/chat/completions", rotated, false).getHeaders().get(HttpHeaders.AUTHORIZATION));
        // A call already made with the old key keeps what it was sent with.
        assertEquals("Bearer sk-first", call.getHeaders().get(HttpHeaders.AUTHORIZATION));
    }

    @Test
    void shouldConnectEveryCallToTheBaseUrlsHostThroughOneAddress() {
        ProviderKey key = key("k1", "sk-one");
        Upstream local = upstream("openai", "http://127.0.0.1:8089/v1", List.of(key));
        RequestOptions call = local.post("/chat/completions", key, false);
        SocketAddress server = (SocketAddress) call.getServer();
        assertEquals(SocketAddress.inetSocketAddress(8089, "127.0.0.1"), server);
        assertEquals("127.0.0.1", call.getHost());
        assertEquals(8089, call.getPort());
        assertSame(server, local.post("/embeddings", key, true).getServer(), "made once, not per call");
        assertSame(server, local.modelsList(key).getServer());

        RequestOptions hosted =
                upstream("openai", "https://api.example.test/v1", List.of(key)).post("/chat/completions", key, false);
        assertEquals(SocketAddress.inetSocketAddress(443, "api.example.test"), hosted.getServer());
        assertEquals("api.example.test", hosted.getHost());
        assertTrue(hosted.isSsl());
    }

    @Test
    void shouldShareOneReadOnlyHeaderMapPerKeyAndKindOfCall() {
        ProviderKey key = key("k1", "sk-one");
        Upstream upstream = upstream("openai", "https://api.example.test/v1", List.of(key));

        MultiMap whole = upstream.post("/chat/completions", key, false).getHeaders();
        MultiMap stream = upstream.post("/chat/completions", key, true).getHeaders();
        assertSame(whole, upstream.post("/embeddings", key, false).getHeaders());
        assertFalse(whole.isMutable());
        assertEquals("text/event-stream", stream.get(HttpHeaders.ACCEPT));
        assertEquals("Bearer sk-one", stream.get(HttpHeaders.AUTHORIZATION));
        assertEquals(Duration.ofSeconds(9).toMillis(), upstream.answerTimeoutMillis(true));
    }

    @Test
    void shouldPutEachVendorsKeyInItsOwnHeader() {
        ProviderKey anthropicKey = key("a", "sk-ant");
        Upstream anthropic = upstream("anthropic", "https://api.example.test/v1", List.of(anthropicKey));
        MultiMap headers = anthropic.post("/messages", anthropicKey, false).getHeaders();
        assertEquals("sk-ant", headers.get("x-api-key"));
        assertEquals("2023-06-01", headers.get("anthropic-version"));
        assertNull(headers.get(HttpHeaders.AUTHORIZATION));

        ProviderKey geminiKey = key("g", "gm-key");
        Upstream gemini = upstream("gemini", "https://api.example.test/v1beta", List.of(geminiKey));
        assertEquals(
                "gm-key",
                gemini.post("/models/m:generateContent", geminiKey, false)
                        .getHeaders()
                        .get("x-goog-api-key"));

        Upstream local = upstream("vllm", "http://127.0.0.1:8000", List.of());
        MultiMap none = local.post("/v1/chat/completions", null, false).getHeaders();
        assertNull(none.get(HttpHeaders.AUTHORIZATION));
        assertEquals(
                "/v1/chat/completions",
                local.post("/v1/chat/completions", null, false).getURI());
    }

    @Test
    void shouldAskForTheModelsListWithTheKeyAndNoBody() {
        ProviderKey key = key("k1", "sk-list");
        Upstream upstream = upstream("openai", "https://api.example.test/v1", List.of(key));
        RequestOptions list = upstream.modelsList(key);
        assertEquals(HttpMethod.GET, list.getMethod());
        assertEquals("/v1/models", list.getURI());
        assertEquals("Bearer sk-list", list.getHeaders().get(HttpHeaders.AUTHORIZATION));
        assertNull(list.getHeaders().get(HttpHeaders.CONTENT_TYPE));
    }

    private static ProviderKey key(String id, String secret) {
        return new ProviderKey(id, "p", secret, KeyLimits.UNLIMITED, 1);
    }

    private static Upstream upstream(String type, String baseUrl, List<ProviderKey> keys) {
        List<ProviderKeyConfig> configs =
                keys.stream().map(k -> ProviderKeyConfig.of(k.id(), k.secret())).toList();
        ProviderConfig config = new ProviderConfig(
                "p",
                type,
                baseUrl,
                configs,
                Duration.ofSeconds(7),
                Duration.ofSeconds(9),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        return new Upstream(config, null, keys);
    }
}
