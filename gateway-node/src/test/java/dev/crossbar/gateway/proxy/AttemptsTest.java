package dev.crossbar.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.cluster.lease.Permit;
import dev.crossbar.codecs.model.ApiError;
import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.spi.Protocol;
import dev.crossbar.codecs.spi.RequestFacts;
import dev.crossbar.gateway.keys.AdmissionQueue;
import dev.crossbar.gateway.keys.CallTokens;
import dev.crossbar.gateway.keys.Capacity;
import dev.crossbar.gateway.upstream.ProviderKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class AttemptsTest {

    private static final String DOCUMENT = """
            {"model":"anthropic-then-openai","max_tokens":100,"messages":[{"role":"user","content":[
              {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}}]}]}""";

    private final Fixture fixture = new Fixture();
    private final RecordingObserver observer = new RecordingObserver();

    /** The key pool as the test wants it: keys with room are granted in order, the others refuse. */
    private static final class Pool implements Attempts.KeySource {
        final Set<String> full = new HashSet<>();
        final List<String> asked = new ArrayList<>();
        long retryAfterMillis = 50;

        @Override
        public Future<Capacity> acquire(List<ProviderKey> keys, String model, CallTokens tokens, Set<String> exclude) {
            long estimatedTokens = tokens.total();
            for (ProviderKey k : keys) {
                asked.add(k.id());
                if (!exclude.contains(k.id()) && !full.contains(k.id())) {
                    return Future.succeededFuture(
                            new Capacity.Granted(k, new Permit(k.id(), estimatedTokens, false, 1)));
                }
            }
            return Future.succeededFuture(new Capacity.Refused(retryAfterMillis, "saturated"));
        }
    }

    private static final class RecordingObserver implements RequestObserver {
        final List<String> events = new ArrayList<>();

        @Override
        public void completed(RequestRecord record) {}

        @Override
        public void retried(String provider, String keyId, String reason, boolean fallback) {
            events.add("retried " + provider + " " + keyId + " " + reason);
        }

        @Override
        public void queued(String model, long waitedNanos, boolean admitted) {
            events.add("queued " + model + " " + admitted);
        }
    }

    private Call call(Protocol protocol, String model, String body) {
        return new Call(
                "req_1",
                fixture.chat(protocol),
                Fixture.ANYONE,
                fixture.routes.resolve(model),
                fixture.routes.resolve(model).targets(),
                Fixture.bytes(body),
                new RequestFacts(model, false, 100, false),
                List.of(),
                100,
                System.nanoTime(),
                System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
    }

    private Attempts attempts(Vertx vertx, Call call, Pool pool) {
        return new Attempts(
                call,
                new Translation(call, null, FieldPolicy.ALLOW_ALL),
                pool,
                new AdmissionQueue(vertx, 10),
                fixture.config.routing(),
                observer,
                () -> false);
    }

    private static String chat(String model) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    @Test
    void shouldTakeTheFirstTargetsFirstKeyWithRoom(Vertx vertx, VertxTestContext ctx) {
        Pool pool = new Pool();
        pool.full.add("openai-1");
        vertx.runOnContext(v -> attempts(vertx, call(Protocol.OPENAI_CHAT, "openai-then-anthropic", chat("x")), pool)
                .next()
                .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
                    Attempts.Granted granted = assertInstanceOf(Attempts.Granted.class, outcome);
                    assertEquals("openai", granted.target().upstream().id());
                    assertEquals("openai-2", granted.key().id());
                    ctx.completeNow();
                }))));
    }

    @Test
    void shouldFailOverToAnotherKeyThenTheNextTarget(Vertx vertx, VertxTestContext ctx) {
        Pool pool = new Pool();
        ApiError overloaded = ApiError.of(ErrorKind.OVERLOADED, "busy");
        vertx.runOnContext(v -> {
            Attempts attempts = attempts(vertx, call(Protocol.OPENAI_CHAT, "openai-then-anthropic", chat("x")), pool);
            attempts.next()
                    .compose(first -> {
                        Attempts.Granted g = (Attempts.Granted) first;
                        attempts.failed(g.target(), g.key(), overloaded, "503 from openai");
                        return attempts.next();
                    })
                    .compose(second -> {
                        Attempts.Granted g = (Attempts.Granted) second;
                        assertEquals("openai-2", g.key().id());
                        attempts.failed(g.target(), g.key(), overloaded, "503 from openai");
                        return attempts.next();
                    })
                    .onComplete(ctx.succeeding(third -> ctx.verify(() -> {
                        Attempts.Granted g = assertInstanceOf(Attempts.Granted.class, third);
                        assertEquals("anthropic", g.target().upstream().id());
                        assertEquals(3, attempts.count());
                        assertTrue(
                                observer.events.contains("retried openai null no capacity"),
                                observer.events.toString());
                        ctx.completeNow();
                    })));
        });
    }

    /** A body only the first target's protocol carries never goes to the second, whatever befalls the first. */
    @Test
    void shouldNeverTryATargetThatCannotTranslateTheCall(Vertx vertx, VertxTestContext ctx) {
        Pool pool = new Pool();
        pool.full.add("anthropic-1");
        pool.full.add("anthropic-2");
        pool.retryAfterMillis = Long.MAX_VALUE;
        vertx.runOnContext(v -> attempts(vertx, call(Protocol.ANTHROPIC, "anthropic-then-openai", DOCUMENT), pool)
                .next()
                .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
                    Attempts.Refused refused = assertInstanceOf(Attempts.Refused.class, outcome);
                    assertEquals(503, refused.error().status(), refused.error().message());
                    assertTrue(pool.asked.stream().noneMatch(k -> k.startsWith("openai")), pool.asked.toString());
                    ctx.completeNow();
                }))));
    }

    @Test
    void shouldNameTheFieldWhenNoTargetCanTakeTheCall(Vertx vertx, VertxTestContext ctx) {
        Pool pool = new Pool();
        String body = DOCUMENT.replace("anthropic-then-openai", "on-openai");
        vertx.runOnContext(v -> attempts(vertx, call(Protocol.ANTHROPIC, "on-openai", body), pool)
                .next()
                .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
                    Attempts.Refused refused = assertInstanceOf(Attempts.Refused.class, outcome);
                    assertEquals(400, refused.error().status());
                    assertEquals("messages[0].content[0].type", refused.error().param());
                    assertTrue(pool.asked.isEmpty(), "no key was asked");
                    ctx.completeNow();
                }))));
    }

    @Test
    void shouldDropTheTargetsOfAProtocolThatCannotCarryTheCall(Vertx vertx, VertxTestContext ctx) {
        Pool pool = new Pool();
        vertx.runOnContext(v -> {
            Attempts attempts = attempts(vertx, call(Protocol.ANTHROPIC, "openai-then-anthropic", "{}"), pool);
            attempts.next()
                    .compose(first -> {
                        Attempts.Granted g = (Attempts.Granted) first;
                        attempts.cannotCarry(g.target(), ApiError.invalid("stop", "no stop sequences here"));
                        return attempts.next();
                    })
                    .onComplete(ctx.succeeding(second -> ctx.verify(() -> {
                        assertEquals(
                                "anthropic",
                                assertInstanceOf(Attempts.Granted.class, second)
                                        .target()
                                        .upstream()
                                        .id());
                        ctx.completeNow();
                    })));
        });
    }

    @Test
    void shouldWaitInTheQueueThenAnswer429WithTheSoonestRetry(Vertx vertx, VertxTestContext ctx) {
        Fixture quick = new Fixture(Fixture.YAML.replace("models:", "routing: { queueTimeout: 100ms }\nmodels:"));
        Pool pool = new Pool();
        pool.full.addAll(List.of("openai-1", "openai-2"));
        pool.retryAfterMillis = 20;
        Call call = new Call(
                "req_1",
                quick.chat(Protocol.OPENAI_CHAT),
                Fixture.ANYONE,
                quick.routes.resolve("on-openai"),
                quick.routes.resolve("on-openai").targets(),
                Fixture.bytes(chat("on-openai")),
                new RequestFacts("on-openai", false, null, false),
                List.of(),
                100,
                System.nanoTime(),
                System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
        vertx.runOnContext(v -> {
            Attempts attempts = new Attempts(
                    call,
                    new Translation(call, null, FieldPolicy.ALLOW_ALL),
                    pool,
                    new AdmissionQueue(vertx, 10),
                    quick.config.routing(),
                    observer,
                    () -> false);
            attempts.next()
                    .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
                        Attempts.Refused refused = assertInstanceOf(Attempts.Refused.class, outcome);
                        assertEquals(429, refused.error().status());
                        assertEquals(20, refused.error().retryAfterMs());
                        assertTrue(attempts.queueNanos() >= TimeUnit.MILLISECONDS.toNanos(90), "waited out the queue");
                        assertTrue(observer.events.contains("queued on-openai false"), observer.events.toString());
                        ctx.completeNow();
                    })));
        });
    }

    @Test
    void shouldGiveUpAfterMaxAttempts(Vertx vertx, VertxTestContext ctx) {
        Fixture two = new Fixture(Fixture.YAML.replace("models:", "routing: { maxAttempts: 1 }\nmodels:"));
        Pool pool = new Pool();
        Call call = new Call(
                "req_1",
                two.chat(Protocol.OPENAI_CHAT),
                Fixture.ANYONE,
                two.routes.resolve("on-openai"),
                two.routes.resolve("on-openai").targets(),
                Fixture.bytes(chat("on-openai")),
                new RequestFacts("on-openai", false, null, false),
                List.of(),
                100,
                System.nanoTime(),
                System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
        ApiError lost = ApiError.of(ErrorKind.BAD_GATEWAY, "unreachable");
        vertx.runOnContext(v -> {
            Attempts attempts = new Attempts(
                    call,
                    new Translation(call, null, FieldPolicy.ALLOW_ALL),
                    pool,
                    new AdmissionQueue(vertx, 10),
                    two.config.routing(),
                    observer,
                    () -> false);
            attempts.next()
                    .compose(first -> {
                        Attempts.Granted g = (Attempts.Granted) first;
                        attempts.failed(g.target(), g.key(), lost, "unreachable");
                        return attempts.next();
                    })
                    .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
                        assertEquals(
                                lost,
                                assertInstanceOf(Attempts.Refused.class, outcome)
                                        .error());
                        ctx.completeNow();
                    })));
        });
    }
}
