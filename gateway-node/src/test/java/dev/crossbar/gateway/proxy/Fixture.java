package dev.crossbar.gateway.proxy;

import dev.crossbar.cluster.responses.ResponseStore;
import dev.crossbar.codecs.spi.ClientCodec;
import dev.crossbar.codecs.spi.Endpoint;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.gateway.auth.ClientKey;
import dev.crossbar.gateway.config.ConfigLoader;
import dev.crossbar.gateway.config.GatewayConfig;
import dev.crossbar.gateway.config.ProviderConfig;
import dev.crossbar.gateway.responses.OffLoop;
import dev.crossbar.gateway.responses.ResponsesState;
import dev.crossbar.gateway.routing.ModelRoutes;
import dev.crossbar.gateway.upstream.DefaultCodecs;
import dev.crossbar.gateway.upstream.ProviderKey;
import dev.crossbar.gateway.upstream.Upstream;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A gateway's routes without a node: one provider of each protocol, each with two keys, and models that mix
 * them, for the request path's unit tests.
 */
final class Fixture {

    static final ClientKey ANYONE = new ClientKey("anyone", List.of("*"), null, null);

    static final String YAML = """
            clientKeys:
              - { name: app, key: client-secret-1 }
            providers:
              - id: openai
                type: openai
                baseUrl: http://127.0.0.1:9/v1
                keys: [ { id: openai-1, secret: sk-openai-1 }, { id: openai-2, secret: sk-openai-2 } ]
              - id: responses
                type: openai
                api: responses
                baseUrl: http://127.0.0.1:9/v1
                keys: [ { id: responses-1, secret: sk-responses-1 } ]
              - id: anthropic
                type: anthropic
                baseUrl: http://127.0.0.1:9/v1
                keys: [ { id: anthropic-1, secret: sk-anthropic-1 }, { id: anthropic-2, secret: sk-anthropic-2 } ]
              - id: gemini
                type: gemini
                baseUrl: http://127.0.0.1:9/v1beta
                keys: [ { id: gemini-1, secret: sk-gemini-1 } ]
            models:
              - { name: on-openai, targets: [ { provider: openai, model: gpt-4o } ] }
              - { name: on-anthropic, targets: [ { provider: anthropic, model: claude-sonnet-4-5 } ] }
              - name: anthropic-then-openai
                targets: [ { provider: anthropic, model: claude-sonnet-4-5 }, { provider: openai, model: gpt-4o } ]
              - name: openai-then-anthropic
                targets: [ { provider: openai, model: gpt-4o }, { provider: anthropic, model: claude-sonnet-4-5 } ]
              - name: refusing
                builtinTools: refuse
                targets: [ { provider: openai, model: gpt-4o }, { provider: responses, model: gpt-5-mini } ]
              - { name: on-gemini, targets: [ { provider: gemini, model: gemini-2.5-flash } ] }
              - { name: on-responses, targets: [ { provider: responses, model: gpt-5-mini } ] }
            """;

    /** A Responses store that keeps nothing: these tests never continue a response. */
    /** Runs a store call where it is asked for: this fixture's store answers at once. */
    private static final OffLoop ON_THE_CALLER = new OffLoop() {
        @Override
        public <T> Future<T> run(Callable<T> work) {
            try {
                return Future.succeededFuture(work.call());
            } catch (Exception e) {
                return Future.failedFuture(e);
            }
        }
    };

    private static final ResponseStore NOTHING_KEPT = new ResponseStore() {
        @Override
        public boolean put(String id, String owner, byte[] record) {
            return false;
        }

        @Override
        public byte[] get(String id, String owner) {
            return null;
        }

        @Override
        public boolean delete(String id, String owner) {
            return false;
        }
    };

    final DefaultCodecs codecs = new DefaultCodecs();
    final GatewayConfig config;
    final Map<String, Upstream> upstreams = new HashMap<>();
    final ModelRoutes routes;

    Fixture() {
        this(YAML);
    }

    Fixture(String yaml) {
        config = new ConfigLoader(name -> null).parse(yaml);
        for (ProviderConfig p : config.providers()) {
            List<ProviderKey> keys = p.keys().stream()
                    .map(k -> new ProviderKey(
                            k.id(), p.id(), k.secret(), k.limits().toKeyLimits(), k.weight()))
                    .toList();
            upstreams.put(p.id(), new Upstream(p, codecs.upstream(p), keys));
        }
        routes = new ModelRoutes(config.models(), upstreams::get);
    }

    ClientCodec client(Protocol protocol) {
        return codecs.clients().stream()
                .filter(c -> c.protocol() == protocol)
                .findFirst()
                .orElseThrow();
    }

    ClientRequest chat(Protocol protocol) {
        return new ClientRequest(client(protocol), Endpoint.CHAT, null, false);
    }

    Intake intake() {
        return new Intake(
                routes, config.node(), config.routing(), new ResponsesState(NOTHING_KEPT, routes, ON_THE_CALLER));
    }

    /** The call intake makes of {@code body}, which it must admit. */
    Intake.Admitted admit(Protocol protocol, String body) {
        Intake.Result result = intake().admit(bytes(body), chat(protocol), ANYONE, "req_1", System.nanoTime())
                .result();
        if (result instanceof Intake.Admitted admitted) {
            return admitted;
        }
        throw new AssertionError("not admitted: " + result);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
