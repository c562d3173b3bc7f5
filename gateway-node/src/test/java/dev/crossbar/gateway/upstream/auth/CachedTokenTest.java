package dev.crossbar.gateway.upstream.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachedTokenTest {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
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
    };
    private final List<Promise<AccessToken>> fetches = new ArrayList<>();
    private final CachedToken cached = new CachedToken(
            () -> {
                Promise<AccessToken> p = Promise.promise();
                fetches.add(p);
                return p.future();
            },
            clock,
            "key-1");

    private void answer(int fetch, String value, Duration lifetime) {
        fetches.get(fetch).complete(new AccessToken(value, now, now.plus(lifetime)));
    }

    @Test
    void shouldFetchOnceForCallersThatArriveTogether() {
        Future<String> a = cached.get();
        Future<String> b = cached.get();
        assertEquals(1, fetches.size());
        answer(0, "t1", Duration.ofHours(1));
        assertEquals("t1", a.result());
        assertEquals("t1", b.result());
        assertEquals("t1", cached.get().result());
        assertEquals(1, fetches.size(), "the token is cached");
    }

    @Test
    void shouldRenewInTheBackgroundFromThreeQuartersOfTheLifetime() {
        cached.get();
        answer(0, "t1", Duration.ofHours(1));
        now = now.plus(Duration.ofMinutes(44));
        assertEquals("t1", cached.get().result());
        assertEquals(1, fetches.size(), "still fresh");
        now = now.plus(Duration.ofMinutes(2));
        Future<String> during = cached.get();
        assertEquals("t1", during.result(), "the old token serves while the new one is fetched");
        assertEquals(2, fetches.size());
        cached.get();
        assertEquals(2, fetches.size(), "one renewal at a time");
        answer(1, "t2", Duration.ofHours(1));
        assertEquals("t2", cached.get().result());
    }

    @Test
    void shouldWaitForANewTokenOnceTheOldIsTooCloseToItsExpiry() {
        cached.get();
        answer(0, "t1", Duration.ofHours(1));
        now = now.plus(Duration.ofMinutes(59).plusSeconds(31));
        Future<String> late = cached.get();
        assertFalse(late.isComplete(), "30 s before expiry a token is not sent any more");
        answer(1, "t2", Duration.ofHours(1));
        assertEquals("t2", late.result());
    }

    @Test
    void shouldFetchAgainAfterTheProviderRefusedTheToken() {
        cached.get();
        answer(0, "t1", Duration.ofHours(1));
        cached.refused("another token");
        assertEquals("t1", cached.get().result(), "only the refused token is dropped");
        cached.refused("t1");
        Future<String> again = cached.get();
        assertFalse(again.isComplete());
        answer(1, "t2", Duration.ofHours(1));
        assertEquals("t2", again.result());
    }

    @Test
    void shouldFailTheWaitingCallersAndTryAgainOnTheNextCall() {
        Future<String> first = cached.get();
        fetches.get(0).fail(new CredentialException("the token endpoint at login answered 401 invalid_client", true));
        assertTrue(first.failed());
        CredentialException e = assertInstanceOf(CredentialException.class, first.cause());
        assertTrue(e.refused());
        cached.get();
        assertEquals(2, fetches.size(), "a failure is not cached");
    }

    @Test
    void shouldNeverShowTheTokenInItsText() {
        AccessToken token = new AccessToken("secret-token-value", now, now.plusSeconds(60));
        assertFalse(token.toString().contains("secret-token-value"), token.toString());
    }
}
