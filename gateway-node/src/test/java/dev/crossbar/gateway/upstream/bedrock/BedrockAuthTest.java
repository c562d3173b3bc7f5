package dev.crossbar.gateway.upstream.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.cluster.ledger.KeyLimits;
import dev.crossbar.gateway.upstream.ProviderKey;
import dev.crossbar.gateway.upstream.auth.CredentialException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.ResolveIdentityRequest;

class BedrockAuthTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    /** A chain that hands out a numbered credential each time it is asked, expiring as told, and notes its thread. */
    private static final class CountingChain implements IdentityProvider<AwsCredentialsIdentity> {
        final AtomicInteger resolved = new AtomicInteger();
        final List<String> threads = new CopyOnWriteArrayList<>();
        volatile Instant expiry;

        @Override
        public Class<AwsCredentialsIdentity> identityType() {
            return AwsCredentialsIdentity.class;
        }

        @Override
        public CompletableFuture<AwsCredentialsIdentity> resolveIdentity(ResolveIdentityRequest request) {
            threads.add(Thread.currentThread().getName());
            int n = resolved.incrementAndGet();
            return CompletableFuture.completedFuture(AwsSessionCredentials.builder()
                    .accessKeyId("ASIACHAIN" + n)
                    .secretAccessKey("secret-" + n)
                    .sessionToken("token-" + n)
                    .expirationTime(expiry)
                    .build());
        }
    }

    private static final class MovableClock extends Clock {
        volatile Instant now = NOW;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static ProviderKey key(String secret) {
        return new ProviderKey("k1", "bedrock", secret, KeyLimits.UNLIMITED, 1);
    }

    private AwsCredentialsIdentity resolveOnEventLoop(AwsCredentialSource source) throws Exception {
        AtomicReference<AwsCredentialsIdentity> out = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Context context = vertx.getOrCreateContext();
        context.runOnContext(v -> source.credentials(key(null)).onComplete(ar -> {
            if (ar.succeeded()) {
                out.set(ar.result());
            } else {
                failure.set(ar.cause());
            }
            done.complete(null);
        }));
        done.get(5, TimeUnit.SECONDS);
        if (failure.get() != null) {
            throw (Exception) failure.get();
        }
        return out.get();
    }

    @Test
    void shouldResolveTheChainOffTheEventLoopAndReuseItUntilNearExpiry() throws Exception {
        CountingChain chain = new CountingChain();
        chain.expiry = NOW.plusSeconds(3600);
        MovableClock clock = new MovableClock();
        ChainCredentials credentials = new ChainCredentials(vertx, chain, clock);

        assertEquals("ASIACHAIN1", resolveOnEventLoop(credentials).accessKeyId());
        assertEquals("ASIACHAIN1", resolveOnEventLoop(credentials).accessKeyId(), "cached");
        assertEquals(1, chain.resolved.get());
        assertFalse(chain.threads.get(0).contains("eventloop"), "resolved on " + chain.threads.get(0));

        clock.now = NOW.plusSeconds(3600).minus(ChainCredentials.REFRESH_BEFORE).minusSeconds(1);
        assertEquals("ASIACHAIN1", resolveOnEventLoop(credentials).accessKeyId(), "still well before expiry");
        clock.now = NOW.plusSeconds(3600).minus(ChainCredentials.REFRESH_BEFORE);
        assertEquals("ASIACHAIN2", resolveOnEventLoop(credentials).accessKeyId(), "refreshed before it expires");
        assertEquals(2, chain.resolved.get());
    }

    @Test
    void shouldRecheckCredentialsWithoutExpiryAfterAWhile() throws Exception {
        CountingChain chain = new CountingChain();
        MovableClock clock = new MovableClock();
        ChainCredentials credentials = new ChainCredentials(vertx, chain, clock);
        resolveOnEventLoop(credentials);
        clock.now = NOW.plus(ChainCredentials.RECHECK_AFTER);
        resolveOnEventLoop(credentials);
        assertEquals(2, chain.resolved.get());
    }

    @Test
    void shouldFailWithACredentialErrorWhenTheChainHasNone() {
        IdentityProvider<AwsCredentialsIdentity> empty = new IdentityProvider<>() {
            @Override
            public Class<AwsCredentialsIdentity> identityType() {
                return AwsCredentialsIdentity.class;
            }

            @Override
            public CompletableFuture<AwsCredentialsIdentity> resolveIdentity(ResolveIdentityRequest request) {
                return CompletableFuture.failedFuture(new IllegalStateException("Unable to load credentials"));
            }
        };
        Exception e = assertThrows(
                Exception.class, () -> resolveOnEventLoop(new ChainCredentials(vertx, empty, new MovableClock())));
        CredentialException credential = assertInstanceOf(CredentialException.class, e);
        assertFalse(credential.refused(), "a chain without credentials is a fault, not a refused key");
    }

    @Test
    void shouldReadAKeysCredentialAndRefuseAMalformedOneWithoutEchoingIt() {
        AwsCredentialsIdentity basic = KeyCredentials.parse("AKID1:c2VjcmV0/+x", "k1");
        assertEquals("AKID1", basic.accessKeyId());
        assertEquals("c2VjcmV0/+x", basic.secretAccessKey());
        AwsCredentialsIdentity session = KeyCredentials.parse("ASIA1:s:t0k/en==", "k1");
        assertEquals(
                "t0k/en==",
                assertInstanceOf(AwsSessionCredentialsIdentity.class, session).sessionToken());
        CredentialException e =
                assertThrows(CredentialException.class, () -> KeyCredentials.parse("sk-plain-api-key", "k9"));
        assertTrue(e.getMessage().contains("k9"), e.getMessage());
        assertFalse(e.getMessage().contains("sk-plain"), e.getMessage());
        assertTrue(e.refused());
    }

    @Test
    void shouldSignTheBodyAndSessionTokenForBedrockInTheRegion() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        SigV4Auth auth = new SigV4Auth("eu-west-1", new KeyCredentials(k -> null), clock);
        RequestOptions options = new RequestOptions()
                .setHost("bedrock-runtime.eu-west-1.amazonaws.com")
                .setPort(443)
                .setSsl(true)
                .setURI("/model/amazon.nova-pro-v1%3A0/converse-stream")
                .putHeader("content-type", "application/json")
                .putHeader("accept", "text/event-stream");
        byte[] body = "{\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
        RequestOptions signed =
                auth.authenticate(options, key("AKIDX:secret:tok"), body).await();
        String authorization = signed.getHeaders().get("authorization");
        assertTrue(
                authorization.startsWith("AWS4-HMAC-SHA256 Credential=AKIDX/20261205/eu-west-1/bedrock/aws4_request"),
                authorization);
        assertTrue(authorization.contains("SignedHeaders=") && authorization.contains("host"), authorization);
        assertEquals("20261205T120000Z", signed.getHeaders().get("x-amz-date"));
        assertEquals("tok", signed.getHeaders().get("x-amz-security-token"));
        assertEquals("application/vnd.amazon.eventstream", signed.getHeaders().get("accept"));

        RequestOptions other = new RequestOptions(options);
        String otherSignature = auth.authenticate(
                        other, key("AKIDX:secret:tok"), "{\"messages\":[1]}".getBytes(StandardCharsets.UTF_8))
                .await()
                .getHeaders()
                .get("authorization");
        assertNotEquals(authorization, otherSignature, "the signature covers the body");
    }
}
