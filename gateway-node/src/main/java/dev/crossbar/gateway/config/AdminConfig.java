package dev.crossbar.gateway.config;

import org.jspecify.annotations.Nullable;

/** The admin surface. Without a token the admin API and dashboard are off (403). */
public record AdminConfig(@Nullable String token) {
    public AdminConfig {
        if (token != null && token.length() < 8) {
            throw new IllegalArgumentException("token must be at least 8 characters");
        }
    }

    public static AdminConfig disabled() {
        return new AdminConfig(null);
    }
}
