package dev.crossbar.gateway.upstream;

import dev.crossbar.codecs.model.ApiError;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes the account out of a provider's words before a client hears them. Providers and self-hosted
 * servers echo what they received ("Incorrect API key provided: sk-abc1***...wxyz", "org-... has no
 * access", a vLLM that quotes the header): a relayed message loses every configured secret (whole, or
 * any fragment of four or more characters from its start or end, or of eight or more from inside it),
 * organisation and project ids, and anything shaped like a key, each replaced by {@link #REDACTED}.
 */
public final class SecretScrubber {

    public static final String REDACTED = "[redacted]";

    /** Fragments shorter than this are too common to say anything about a secret. */
    private static final int MIN_EDGE_FRAGMENT = 4;

    private static final int MIN_INNER_FRAGMENT = 8;
    /** A word-free run this long, of letters and digits mixed, is taken for a credential or an account id. */
    private static final int KEY_SHAPED_RUN = 20;

    /**
     * A token: what a provider writes as one word when it quotes a key, masks included ({@code *}, {@code
     * ...}, {@code •}, {@code …}).
     */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_\\-.*•…+/=]+");

    /** A mask between letters or digits: how providers shorten a key they quote. */
    private static final Pattern MASKED = Pattern.compile("[A-Za-z0-9](?:[*•…]+|\\.{2,})[A-Za-z0-9]");

    private static final Pattern FRAGMENT_SPLIT = Pattern.compile("[*•…]+|\\.{2,}");
    /** Prefixes of credentials and account ids, lower case. */
    private static final String[] KEY_PREFIXES = {
        "sk-", "sk_", "rk-", "rk_", "pk-", "pk_", "aiza", "gsk_", "xai-", "hf_", "org-", "org_", "proj-", "proj_",
        "sess-", "ghp_", "glpat-", "ya29."
    };

    private final Supplier<? extends Collection<String>> secrets;

    /** @param secrets the secrets configured now (read at every scrub: keys come and go at run time) */
    public SecretScrubber(Supplier<? extends Collection<String>> secrets) {
        this.secrets = secrets;
    }

    public ApiError scrub(ApiError error) {
        String message = scrub(Objects.requireNonNull(error.message(), "an ApiError always has a message"));
        String param = error.param() == null ? null : scrub(error.param());
        if (message.equals(error.message()) && (param == null || param.equals(error.param()))) {
            return error;
        }
        return new ApiError(error.status(), error.kind(), message, param, error.retryAfterMs());
    }

    public String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        Collection<String> known = secrets.get();
        String out = text;
        for (String secret : known) {
            if (secret != null && !secret.isEmpty()) {
                out = out.replace(secret, REDACTED);
            }
        }
        Matcher m = TOKEN.matcher(out);
        StringBuilder sb = null;
        int last = 0;
        while (m.find()) {
            String token = trimSentenceEnd(m.group());
            if (token.isEmpty() || token.equals(REDACTED) || !sensitive(token, known)) {
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(out.length());
            }
            sb.append(out, last, m.start()).append(REDACTED);
            last = m.start() + token.length();
        }
        if (sb == null) {
            return out;
        }
        return sb.append(out, last, out.length()).toString();
    }

    private static boolean sensitive(String token, Collection<String> known) {
        String lower = token.toLowerCase(Locale.ROOT);
        for (String prefix : KEY_PREFIXES) {
            if (lower.startsWith(prefix) && token.length() > prefix.length()) {
                return true;
            }
        }
        if (MASKED.matcher(token).find()) {
            return true; // a masked quote of a key, whichever key it was
        }
        for (String part : token.split("[-_.+/=]", -1)) {
            if (part.length() >= KEY_SHAPED_RUN && hasLetter(part) && hasDigit(part)) {
                return true;
            }
        }
        for (String fragment : FRAGMENT_SPLIT.split(token, -1)) {
            if (fragment.length() >= MIN_EDGE_FRAGMENT && fragmentOfSecret(fragment, known)) {
                return true;
            }
        }
        return false;
    }

    private static boolean fragmentOfSecret(String fragment, Collection<String> known) {
        for (String secret : known) {
            if (secret == null || secret.length() <= fragment.length()) {
                continue;
            }
            if (secret.startsWith(fragment) || secret.endsWith(fragment)) {
                return true;
            }
            if (fragment.length() >= MIN_INNER_FRAGMENT && secret.contains(fragment)) {
                return true;
            }
        }
        return false;
    }

    /** A quote at the end of a sentence keeps its full stop (or ellipsis). */
    private static String trimSentenceEnd(String token) {
        int end = token.length();
        while (end > 0 && token.charAt(end - 1) == '.') {
            end--;
        }
        return token.substring(0, end);
    }

    private static boolean hasLetter(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isLetter(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
