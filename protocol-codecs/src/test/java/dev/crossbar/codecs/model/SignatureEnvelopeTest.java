package dev.crossbar.codecs.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SignatureEnvelopeTest {

    @ParameterizedTest
    @EnumSource(Issuer.class)
    void shouldWriteAFamilysOwnSignatureToItsOwnClientsAsItCame(Issuer family) {
        assertEquals("Eq0BCkYIBRgC", SignatureEnvelope.seal(family, false, "Eq0BCkYIBRgC", family, false));
        assertEquals(
                new SignatureEnvelope.Opened(family, false, "Eq0BCkYIBRgC"),
                SignatureEnvelope.open("Eq0BCkYIBRgC", family, false));
    }

    @Test
    void shouldSealEveryOtherFamilysSignatureAndOpenItBackToItsIssuer() {
        for (Issuer issuer : Issuer.values()) {
            for (Issuer client : Issuer.values()) {
                for (boolean redacted : new boolean[] {false, true}) {
                    if (issuer == client && !redacted) {
                        continue;
                    }
                    String sealed = SignatureEnvelope.seal(issuer, redacted, "opaque+/=value", client, false);
                    assertTrue(sealed.startsWith(SignatureEnvelope.SEALED_PREFIX), sealed);
                    Base64.getDecoder().decode(sealed); // valid base64: Gemini's thoughtSignature is bytes
                    assertEquals(
                            new SignatureEnvelope.Opened(issuer, redacted, "opaque+/=value"),
                            SignatureEnvelope.open(sealed, client, false),
                            issuer + " redacted=" + redacted + " to a " + client + " client");
                }
            }
        }
    }

    @Test
    void shouldAlwaysSealForAClientProtocolWithoutAFamily() {
        String sealed = SignatureEnvelope.seal(Issuer.OPENAI, false, "rs_1 gAAAA", null, false);
        assertTrue(sealed.startsWith(SignatureEnvelope.SEALED_PREFIX));
        assertEquals(
                new SignatureEnvelope.Opened(Issuer.OPENAI, false, "rs_1 gAAAA"),
                SignatureEnvelope.open(sealed, Issuer.OPENAI, false));
    }

    @Test
    void shouldTakeAValueThatOnlyLooksSealedAsTheClientFamilysOwn() {
        String broken = SignatureEnvelope.SEALED_PREFIX + "!!not base64";
        assertEquals(
                new SignatureEnvelope.Opened(Issuer.GEMINI, false, broken),
                SignatureEnvelope.open(broken, Issuer.GEMINI, false));
        String unknownIssuer = Base64.getEncoder().encodeToString("xbsig:mistral:s:v".getBytes(StandardCharsets.UTF_8));
        assertEquals(
                Issuer.ANTHROPIC,
                SignatureEnvelope.open(unknownIssuer, Issuer.ANTHROPIC, false).issuer());
        assertNull(SignatureEnvelope.open("raw", null, false), "no family of its own: nobody's signature");
    }

    @Test
    void shouldGiveTheCanonicalPartAnOpenedValueStandsFor() {
        ContentPart signed =
                SignatureEnvelope.part(new SignatureEnvelope.Opened(Issuer.GEMINI, false, "sig"), "thought");
        assertEquals(new ContentPart.Thinking("thought", "sig", Issuer.GEMINI), signed);
        ContentPart redacted = SignatureEnvelope.part(new SignatureEnvelope.Opened(Issuer.ANTHROPIC, true, "data"), "");
        assertInstanceOf(ContentPart.RedactedThinking.class, redacted);
        assertEquals(new ContentPart.RedactedThinking("data", Issuer.ANTHROPIC), redacted);
    }

    @Test
    void shouldTreatAnEmptySignatureAsNoneAndRefuseOneWithoutItsIssuer() {
        assertEquals(new ContentPart.Thinking("t"), new ContentPart.Thinking("t", "", Issuer.ANTHROPIC));
        org.junit.jupiter.api.Assertions.assertThrows(
                NullPointerException.class, () -> new ContentPart.Thinking("t", "sig", null));
    }
}
