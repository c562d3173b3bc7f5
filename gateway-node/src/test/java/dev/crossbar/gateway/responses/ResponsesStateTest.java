package dev.crossbar.gateway.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crossbar.cluster.responses.ResponseStore;
import dev.crossbar.codecs.json.Json;
import dev.crossbar.codecs.model.ChatResponse;
import dev.crossbar.codecs.model.ContentPart;
import dev.crossbar.codecs.model.FinishReason;
import dev.crossbar.codecs.responses.OpenAiResponsesClientCodec;
import dev.crossbar.gateway.auth.ClientKey;
import dev.crossbar.gateway.config.ConfigLoader;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.routing.ModelRoutes;
import dev.crossbar.gateway.upstream.DefaultCodecs;
import dev.crossbar.gateway.upstream.Upstream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Regression: the Responses state called the cluster's store (a Hazelcast map) on the event loop, stalling every
 * connection of that loop while a member answered. Every store call now runs off the loop.
 */
@ExtendWith(VertxExtension.class)
class ResponsesStateTest {

    private static final ClientKey OWNER = new ClientKey("app", List.of("*"), null, null);

    /** A store that answers from memory and notes whether each call came on an event loop. */
    private static final class RecordingStore implements ResponseStore {
        final Map<String, byte[]> kept = new ConcurrentHashMap<>();
        final List<String> onLoop = new CopyOnWriteArrayList<>();
        final List<String> calls = new CopyOnWriteArrayList<>();

        private void note(String call) {
            calls.add(call);
            if (Context.isOnEventLoopThread()) {
                onLoop.add(call);
            }
        }

        @Override
        public boolean put(String id, String owner, byte[] record) {
            note("put");
            kept.put(id + "/" + owner, record);
            return true;
        }

        @Override
        public byte[] get(String id, String owner) {
            note("get");
            return kept.get(id + "/" + owner);
        }

        @Override
        public boolean delete(String id, String owner) {
            note("delete");
            return kept.remove(id + "/" + owner) != null;
        }
    }

    private static ModelRoutes routes() {
        GatewayConfig config = new ConfigLoader(name -> null).parse("""
                clientKeys:
                  - { name: app, key: client-secret-1 }
                providers:
                  - id: anthropic
                    type: anthropic
                    baseUrl: http://127.0.0.1:1/v1
                    keys: [ { id: anthropic-1, secret: sk-anthropic-1 } ]
                models:
                  - { name: on-anthropic, targets: [ { provider: anthropic, model: claude-sonnet-4-5 } ] }
                """);
        DefaultCodecs codecs = new DefaultCodecs();
        Map<String, Upstream> upstreams = new ConcurrentHashMap<>();
        config.providers().forEach(p -> upstreams.put(p.id(), new Upstream(p, codecs.upstream(p), List.of())));
        return new ModelRoutes(config.models(), upstreams::get);
    }

    @Test
    void shouldNeverCallTheStoreOnTheEventLoop(Vertx vertx, VertxTestContext ctx) {
        RecordingStore store = new RecordingStore();
        ResponsesState state = new ResponsesState(store, routes(), OffLoop.workers(vertx));
        OpenAiResponsesClientCodec codec = new OpenAiResponsesClientCodec();
        ChatResponse answer = new ChatResponse(
                "resp_abc", "on-anthropic", List.of(new ContentPart.Text("hi")), FinishReason.STOP, null, null, 1);
        vertx.getOrCreateContext().runOnContext(v -> {
            assertTrue(Context.isOnEventLoopThread());
            state.begin(body("{\"model\":\"on-anthropic\",\"input\":\"hello\"}"), OWNER)
                    .compose(turn -> {
                        turn.codec(codec).encodeResponse(answer, null);
                        return turn.kept();
                    })
                    .compose(kept -> state.begin(
                            body(
                                    "{\"model\":\"on-anthropic\",\"previous_response_id\":\"resp_abc\",\"input\":\"more\"}"),
                            OWNER))
                    .compose(turn -> {
                        ctx.verify(() ->
                                assertEquals(3, turn.body(null).get("input").size(), "the kept turn was read back"));
                        return state.find("resp_abc", "app");
                    })
                    .compose(found -> state.delete("resp_abc", "app"))
                    .onComplete(ctx.succeeding(deleted -> ctx.verify(() -> {
                        assertTrue(deleted);
                        assertEquals(List.of("put", "get", "get", "delete"), store.calls);
                        assertEquals(List.of(), store.onLoop, "store calls made on the event loop");
                        assertFalse(store.kept.containsKey("resp_abc/app"));
                        ctx.completeNow();
                    })));
        });
    }

    /** An off-loop runner that counts the work given to it. */
    private static final class CountingOffLoop implements OffLoop {
        final OffLoop workers;
        final AtomicInteger runs = new AtomicInteger();

        CountingOffLoop(Vertx vertx) {
            this.workers = OffLoop.workers(vertx);
        }

        @Override
        public <T> Future<T> run(Callable<T> work) {
            runs.incrementAndGet();
            return workers.run(work);
        }
    }

    /**
     * A turn that refers to nothing stored is resolved on the loop: sent off it and back, it waited two thread
     * hops (about 0.1 ms) before its first byte for nothing. One that refers to a stored response or item still
     * leaves the loop.
     */
    @Test
    void shouldLeaveTheLoopOnlyForATurnThatRefersToSomethingStored(Vertx vertx, VertxTestContext ctx) {
        RecordingStore store = new RecordingStore();
        CountingOffLoop offLoop = new CountingOffLoop(vertx);
        ResponsesState state = new ResponsesState(store, routes(), offLoop);
        vertx.getOrCreateContext().runOnContext(v -> {
            Future<ResponsesTurn> plain = state.begin(
                    body("{\"model\":\"on-anthropic\",\"input\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), OWNER);
            ctx.verify(() -> {
                assertTrue(plain.isComplete(), "resolved at once, on the loop");
                assertEquals(0, offLoop.runs.get());
                assertEquals(
                        "hi",
                        plain.result()
                                .body(null)
                                .get("input")
                                .get(0)
                                .get("content")
                                .asText());
            });
            state.begin(
                            body("{\"model\":\"on-anthropic\",\"previous_response_id\":\"resp_gone\",\"input\":\"x\"}"),
                            OWNER)
                    .onComplete(previous -> state.begin(
                                    body("{\"model\":\"on-anthropic\",\"input\":[{\"type\":\"item_reference\","
                                            + "\"id\":\"msg_gone\"}]}"),
                                    OWNER)
                            .onComplete(reference -> ctx.verify(() -> {
                                assertTrue(previous.failed() && reference.failed(), "neither is kept");
                                assertEquals(2, offLoop.runs.get(), "each read the store off the loop");
                                assertEquals(List.of(), store.onLoop);
                                ctx.completeNow();
                            })));
        });
    }

    private static ObjectNode body(String json) {
        return Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
    }
}
