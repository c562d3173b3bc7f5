package dev.crossbar.gateway.upstream.auth;

import java.time.Duration;
import java.time.Instant;

/**
 * An OAuth2 bearer token and when it stops working. {@link #toString()} never shows the token.
 *
 * @param fetchedAt when the token endpoint answered
 */
public record AccessToken(String value, Instant fetchedAt, Instant expiresAt) {

    /** How long before its expiry a token is no longer handed out: a call must have time to reach the provider. */
    private static final Duration MAX_SAFETY = Duration.ofSeconds(30);

    public AccessToken {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the access token is empty");
        }
        if (!expiresAt.isAfter(fetchedAt)) {
            throw new IllegalArgumentException("the access token expires before it was fetched");
        }
    }

    Duration lifetime() {
        return Duration.between(fetchedAt, expiresAt);
    }

    /** From then on a new token is fetched in the background while this one is still used. */
    Instant refreshFrom() {
        return fetchedAt.plus(lifetime().multipliedBy(3).dividedBy(4));
    }

    /** After then this token is not sent any more: callers wait for a new one. */
    Instant usableUntil() {
        Duration tenth = lifetime().dividedBy(10);
        return expiresAt.minus(tenth.compareTo(MAX_SAFETY) < 0 ? tenth : MAX_SAFETY);
    }

    @Override
    public String toString() {
        return "AccessToken[expires " + expiresAt + "]";
    }
}
