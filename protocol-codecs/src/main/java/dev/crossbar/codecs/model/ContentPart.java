package dev.crossbar.codecs.model;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** One typed piece of a message: the unit every protocol's content blocks and parts map to. */
public sealed interface ContentPart {

    record Text(String text) implements ContentPart {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * An image, either inline ({@code mediaType} + base64 {@code data}) or by {@code url}.
     * Exactly one of {@code data} and {@code url} is set.
     */
    record Image(
            @Nullable String mediaType,
            @Nullable String data,
            @Nullable String url) implements ContentPart {
        public Image {
            if ((data == null) == (url == null)) {
                throw new IllegalArgumentException("image needs exactly one of data and url");
            }
        }

        public static Image inline(String mediaType, String base64) {
            return new Image(mediaType, base64, null);
        }

        public static Image remote(String url) {
            return new Image(null, null, url);
        }
    }

    /** A call the assistant makes; {@code argumentsJson} is a JSON object as text (OpenAI style). */
    record ToolCall(String id, String name, String argumentsJson) implements ContentPart {
        public ToolCall {
            Objects.requireNonNull(name, "name");
            argumentsJson = argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson;
        }
    }

    /**
     * The answer to a {@link ToolCall}. {@code name} may be null when the client protocol does not carry
     * it (OpenAI); encoders that need it (Gemini) look it up from the earlier call by {@code toolCallId}.
     */
    record ToolResult(String toolCallId, @Nullable String name, String content, boolean isError)
            implements ContentPart {
        public ToolResult {
            content = content == null ? "" : content;
        }
    }

    /**
     * Model reasoning. {@code signature} is the provider's opaque proof of it (Anthropic {@code signature},
     * Gemini {@code thoughtSignature}, OpenAI reasoning as {@code "<item id> <encrypted_content>"}), kept for
     * replay to the {@code issuer} that made it and to no other; an empty signature is none, and unsigned
     * reasoning has no issuer.
     */
    record Thinking(
            String text,
            @Nullable String signature,
            @Nullable Issuer issuer) implements ContentPart {
        public Thinking {
            text = text == null ? "" : text;
            if (signature != null && signature.isEmpty()) {
                signature = null;
            }
            if (signature == null) {
                issuer = null;
            } else {
                Objects.requireNonNull(issuer, "a signature needs its issuer");
            }
        }

        /** Readable reasoning without a signature (Chat Completions {@code reasoning_content}, summaries). */
        public Thinking(String text) {
            this(text, null, null);
        }

        /** Whether this reasoning carries a signature {@code family} issued. */
        public boolean signedBy(Issuer family) {
            return signature != null && issuer == family;
        }
    }

    /**
     * Reasoning the provider withheld and handed back encrypted (Anthropic {@code redacted_thinking}).
     * It carries no readable text; {@code data} must be replayed unchanged to its {@code issuer}, and
     * encoders of other families drop it.
     */
    record RedactedThinking(String data, Issuer issuer) implements ContentPart {
        public RedactedThinking {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(issuer, "issuer");
        }
    }
}
