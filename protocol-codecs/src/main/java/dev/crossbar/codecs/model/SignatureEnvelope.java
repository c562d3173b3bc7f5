package dev.crossbar.codecs.model;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a client carries reasoning that another provider family signed. Each client protocol has one
 * field for opaque reasoning (Anthropic {@code signature} and {@code data}, Gemini {@code thoughtSignature},
 * Responses {@code encrypted_content}); a value its own family issued is written there as it came, and a
 * foreign one is sealed: {@code base64("xbsig:" + issuer + ":" + kind + ":" + value)}, kind {@code s} for a
 * signature and {@code r} for redacted thinking. The client replays it unchanged, and opening it gives back
 * the issuer, so each upstream encoder replays only what its own family issued. Base64 keeps the sealed
 * value valid where the field is bytes (Gemini). Every sealed value starts with {@value #SEALED_PREFIX}.
 */
public final class SignatureEnvelope {

    /** {@code base64("xbsig:")}: six bytes, so every sealed value starts with these eight characters. */
    public static final String SEALED_PREFIX = "eGJzaWc6";

    private static final String MAGIC = "xbsig:";

    private SignatureEnvelope() {}

    /** A value read from a client: who issued it, and whether it is redacted thinking rather than a signature. */
    public record Opened(Issuer issuer, boolean redacted, String value) {}

    /**
     * The value to write in a client's reasoning field.
     *
     * @param clientFamily the family whose values that field carries natively (null: none, always sealed)
     * @param redactedField true when the field holds redacted thinking (Anthropic {@code redacted_thinking.data})
     */
    public static String seal(
            @Nullable Issuer issuer,
            boolean redacted,
            String value,
            @Nullable Issuer clientFamily,
            boolean redactedField) {
        if (issuer == clientFamily && redacted == redactedField) {
            return value;
        }
        String label = Objects.requireNonNull(issuer, "a value to seal names its issuer")
                .label();
        String payload = MAGIC + label + ":" + (redacted ? "r" : "s") + ":" + value;
        return Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a value a client sent back: a sealed one opens to its issuer; anything else is taken as the
     * client family's own, the very string given (or, when the client's protocol has no family of its own,
     * as nobody's: null).
     */
    public static @Nullable Opened open(String value, @Nullable Issuer clientFamily, boolean redactedField) {
        if (value != null && value.startsWith(SEALED_PREFIX)) {
            Opened sealed = unseal(value);
            if (sealed != null) {
                return sealed;
            }
        }
        return clientFamily == null ? null : new Opened(clientFamily, redactedField, value);
    }

    private static @Nullable Opened unseal(String value) {
        String payload;
        try {
            payload = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int issuerEnd = payload.indexOf(':', MAGIC.length());
        if (!payload.startsWith(MAGIC) || issuerEnd < 0 || payload.length() < issuerEnd + 3) {
            return null;
        }
        Issuer issuer = Issuer.byLabel(payload.substring(MAGIC.length(), issuerEnd));
        char kind = payload.charAt(issuerEnd + 1);
        if (issuer == null || (kind != 's' && kind != 'r') || payload.charAt(issuerEnd + 2) != ':') {
            return null;
        }
        return new Opened(issuer, kind == 'r', payload.substring(issuerEnd + 3));
    }

    /** The canonical part an opened value stands for: a signed (possibly empty) thinking, or redacted thinking. */
    public static ContentPart part(@Nullable Opened value, String text) {
        Opened opened = Objects.requireNonNull(value, "a value opened for a client family");
        return opened.redacted()
                ? new ContentPart.RedactedThinking(opened.value(), opened.issuer())
                : new ContentPart.Thinking(text, opened.value(), opened.issuer());
    }
}
