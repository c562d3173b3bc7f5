package dev.crossbar.gateway.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.jspecify.annotations.Nullable;

/**
 * Checks the admin token ({@code Authorization: Bearer <token>}). The token is held as a SHA-256
 * digest and compared in constant time. Without a configured token the admin surface is off.
 */
final class AdminAuth {

    enum Verdict {
        ALLOWED,
        DISABLED,
        MISSING,
        WRONG
    }

    private final byte @Nullable [] digest;

    AdminAuth(@Nullable String token) {
        this.digest = token == null ? null : sha256(token);
    }

    boolean enabled() {
        return digest != null;
    }

    Verdict check(@Nullable String authorization) {
        if (digest == null) {
            return Verdict.DISABLED;
        }
        if (authorization == null || authorization.isBlank()) {
            return Verdict.MISSING;
        }
        String value = authorization.trim();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Verdict.WRONG;
        }
        byte[] presented = sha256(value.substring(7).trim());
        return MessageDigest.isEqual(digest, presented) ? Verdict.ALLOWED : Verdict.WRONG;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
