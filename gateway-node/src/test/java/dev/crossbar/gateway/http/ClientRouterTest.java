package dev.crossbar.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.ClientRoute;
import dev.crossbar.codecs.spi.Endpoint;
import dev.crossbar.codecs.spi.Inbound;
import dev.crossbar.codecs.spi.KeyPlaces;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.gateway.proxy.ClientRequest;
import dev.crossbar.gateway.upstream.DefaultCodecs;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientRouterTest {

    private final ClientRouter router = new ClientRouter(new DefaultCodecs().clients());

    private ClientRequest call(String path) {
        return assertInstanceOf(ClientRouter.Call.class, router.match("POST", path, h -> false), path)
                .request();
    }

    @Test
    void shouldTellEachProtocolByItsPath() {
        assertEquals(Protocol.OPENAI_CHAT, call("/v1/chat/completions").codec().protocol());
        assertEquals(Protocol.OPENAI_RESPONSES, call("/v1/responses").codec().protocol());
        assertEquals(Protocol.ANTHROPIC, call("/v1/messages").codec().protocol());
        ClientRequest embeddings = call("/v1/embeddings");
        assertEquals(Protocol.OPENAI_CHAT, embeddings.codec().protocol());
        assertEquals(Endpoint.EMBEDDINGS, embeddings.endpoint());
        assertEquals(Endpoint.COUNT_TOKENS, call("/v1/messages/count_tokens").endpoint());
        assertNull(call("/v1/messages").pathModel());
    }

    @Test
    void shouldReadGeminisModelAndStreamFromThePath() {
        ClientRequest plain = call("/v1beta/models/gemini-2.5-flash:generateContent");
        assertEquals(Protocol.GEMINI, plain.codec().protocol());
        assertEquals("gemini-2.5-flash", plain.pathModel());
        assertEquals(false, plain.pathStream());
        ClientRequest streamed = call("/v1beta/models/tunedModels/x:streamGenerateContent");
        assertEquals("tunedModels/x", streamed.pathModel());
        assertTrue(streamed.pathStream());
        ClientRouter.Unknown unknown = assertInstanceOf(
                ClientRouter.Unknown.class, router.match("POST", "/v1beta/models/m:embedContent", h -> false));
        assertEquals(Protocol.GEMINI, unknown.codec().protocol());
        assertEquals(
                "method 'embedContent' is not supported; use generateContent or streamGenerateContent",
                unknown.error().message());
    }

    @Test
    void shouldListModelsInTheShapeOfTheProtocolThatAsks() {
        ClientRouter.ModelList openAi =
                assertInstanceOf(ClientRouter.ModelList.class, router.match("GET", "/v1/models", h -> false));
        assertEquals(Protocol.OPENAI_CHAT, openAi.codec().protocol());
        ClientRouter.ModelList anthropic = assertInstanceOf(
                ClientRouter.ModelList.class, router.match("GET", "/v1/models", h -> h.equals("anthropic-version")));
        assertEquals(Protocol.ANTHROPIC, anthropic.codec().protocol());
        ClientRouter.ModelList gemini =
                assertInstanceOf(ClientRouter.ModelList.class, router.match("GET", "/v1beta/models", h -> false));
        assertEquals(Protocol.GEMINI, gemini.codec().protocol());
    }

    @Test
    void shouldAnswerAStrayPathInTheShapeOfItsFamily() {
        ClientRouter.Unknown gemini =
                assertInstanceOf(ClientRouter.Unknown.class, router.match("POST", "/v1beta/tunedModels", h -> false));
        assertEquals(Protocol.GEMINI, gemini.codec().protocol());
        ClientRouter.Unknown other =
                assertInstanceOf(ClientRouter.Unknown.class, router.match("DELETE", "/v1/responses", h -> false));
        assertEquals(Protocol.OPENAI_CHAT, other.codec().protocol());
        assertEquals(
                "DELETE /v1/responses is not a route of this gateway",
                other.error().message());
        assertInstanceOf(ClientRouter.Unknown.class, router.match("GET", "/v1/chat/completions", h -> false));
    }

    /** A new protocol brings its routes with its codec: registering it is all the router needs. */
    @Test
    void shouldServeANewProtocolFromItsCodecAlone() {
        ClientCodec cohere = codec(
                new Inbound(List.of(ClientRoute.at("/v2/chat", Endpoint.CHAT)), KeyPlaces.BEARER, "/v2/models", null));
        ClientRouter withIt =
                new ClientRouter(List.of(new DefaultCodecs().clients().get(0), cohere));
        ClientRouter.Call call =
                assertInstanceOf(ClientRouter.Call.class, withIt.match("POST", "/v2/chat", h -> false));
        assertEquals(cohere, call.request().codec());
        assertThrows(
                IllegalArgumentException.class,
                () -> new ClientRouter(List.of(
                        new DefaultCodecs().clients().get(0),
                        codec(new Inbound(
                                List.of(ClientRoute.at("/v1/chat/completions", Endpoint.CHAT)),
                                KeyPlaces.BEARER,
                                "/v1/models",
                                null)))),
                "two protocols cannot claim one path");
    }

    private static ClientCodec codec(Inbound inbound) {
        return (ClientCodec) Proxy.newProxyInstance(
                ClientRouterTest.class.getClassLoader(),
                new Class<?>[] {ClientCodec.class},
                (p, m, a) -> switch (m.getName()) {
                    case "inbound" -> inbound;
                    case "toString" -> "test codec";
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
