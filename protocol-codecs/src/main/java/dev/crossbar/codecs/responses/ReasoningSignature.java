package dev.crossbar.codecs.responses;

import org.jspecify.annotations.Nullable;

/**
 * The canonical signature of an OpenAI reasoning item: replaying one statelessly takes both its id and its
 * {@code encrypted_content}, so the signature is {@code "<id> <encrypted_content>"} (neither holds a space),
 * or the encrypted content alone when the item came without an id.
 */
final class ReasoningSignature {

    private ReasoningSignature() {}

    static String of(@Nullable String id, String encryptedContent) {
        return id == null || id.isEmpty() ? encryptedContent : id + " " + encryptedContent;
    }

    /** The item id, or null. */
    static @Nullable String id(String signature) {
        int space = signature.indexOf(' ');
        return space < 0 ? null : signature.substring(0, space);
    }

    static String encryptedContent(String signature) {
        return signature.substring(signature.indexOf(' ') + 1);
    }
}
