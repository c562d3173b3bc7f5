package dev.crossbar.gateway.upstream;

import org.jspecify.annotations.Nullable;

/** The only form of a secret that may be shown: its first three and last four characters, e.g. "sk-...a1b2". */
public final class KeyFingerprint {

    private KeyFingerprint() {}

    public static String of(@Nullable String secret) {
        if (secret == null || secret.isEmpty()) {
            return "(none)";
        }
        if (secret.length() < 12) {
            return "..." + secret.substring(Math.max(0, secret.length() - 2));
        }
        return secret.substring(0, 3) + "..." + secret.substring(secret.length() - 4);
    }
}
