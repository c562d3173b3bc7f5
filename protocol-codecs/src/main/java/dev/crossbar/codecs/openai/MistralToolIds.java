package dev.crossbar.codecs.openai;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Rewrites tool-call ids for Mistral, which accepts only {@code [a-zA-Z0-9]{9}}. A foreign id becomes a
 * hash of itself, so the same conversation maps to the same ids on every turn; within one request a
 * collision between two different ids is resolved by rehashing. One instance per request.
 */
final class MistralToolIds {

    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int LENGTH = 9;

    private final Map<String, String> byOriginal = new HashMap<>();
    private final Map<String, String> byRewritten = new HashMap<>();

    String rewrite(String id) {
        String known = byOriginal.get(id);
        if (known != null) {
            return known;
        }
        String candidate = isValid(id) ? id : hash(id, 0);
        for (int salt = 1; byRewritten.containsKey(candidate); salt++) {
            candidate = hash(id, salt);
        }
        byOriginal.put(id, candidate);
        byRewritten.put(candidate, id);
        return candidate;
    }

    static boolean isValid(String id) {
        if (id.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return false;
            }
        }
        return true;
    }

    /** FNV-1a over the UTF-8 bytes, finished with a SplitMix64 mix, as 9 base-62 digits. */
    static String hash(String id, int salt) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= salt;
        h *= 0x100000001b3L;
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        h ^= h >>> 31;
        char[] out = new char[LENGTH];
        long v = h >>> 1;
        for (int i = 0; i < LENGTH; i++) {
            out[i] = ALPHABET[(int) (v % ALPHABET.length)];
            v /= ALPHABET.length;
        }
        return new String(out);
    }
}
