package dev.crossbar.codecs.model;

import org.jspecify.annotations.Nullable;

/**
 * The provider family that issued an opaque piece of reasoning (a thinking signature, redacted thinking,
 * encrypted reasoning). Only that family can read it back, so encoders replay it to their own family and
 * drop it for every other.
 */
public enum Issuer {
    /** Anthropic {@code thinking.signature} and {@code redacted_thinking.data}. */
    ANTHROPIC("anthropic"),
    /** Gemini {@code thoughtSignature}. */
    GEMINI("gemini"),
    /** OpenAI Responses reasoning items: their id and {@code encrypted_content}. */
    OPENAI("openai");

    private final String label;

    Issuer(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The issuer with this label, or null. */
    public static @Nullable Issuer byLabel(String label) {
        for (Issuer i : values()) {
            if (i.label.equals(label)) {
                return i;
            }
        }
        return null;
    }
}
