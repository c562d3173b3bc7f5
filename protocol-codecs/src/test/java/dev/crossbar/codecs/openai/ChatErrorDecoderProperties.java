package dev.crossbar.codecs.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.codecs.model.ErrorKind;
import dev.crossbar.codecs.spi.UpstreamError;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever an upstream sends as an error body, decoding it yields a truthful, bounded error and never throws. */
class ChatErrorDecoderProperties {

    private final OpenAiUpstreamCodec codec = new OpenAiUpstreamCodec(OpenAiDialect.GENERIC);

    @Property(tries = 500)
    void shouldNeverThrowOnGarbageAndKeepTheStatus(@ForAll("statuses") int status, @ForAll byte[] body) {
        check(status, codec.decodeError(status, body));
    }

    @Property(tries = 500)
    void shouldNeverThrowOnJsonLookalikes(@ForAll("statuses") int status, @ForAll("jsonish") String body) {
        check(status, codec.decodeError(status, body.getBytes(StandardCharsets.UTF_8)));
    }

    @Property(tries = 50)
    void shouldCapLongMessages(@ForAll("statuses") int status) {
        String body = "{\"error\":{\"message\":\"" + "a".repeat(100_000) + "\"}}";
        UpstreamError e = codec.decodeError(status, body.getBytes(StandardCharsets.UTF_8));
        assertEquals(ChatErrorDecoder.MAX_MESSAGE_CHARS + 1, e.error().message().length());
    }

    private static void check(int status, UpstreamError e) {
        assertNotNull(e);
        assertEquals(status, e.error().status());
        assertEquals(ErrorKind.fromStatus(status), e.error().kind());
        assertFalse(e.error().message().isBlank());
        assertTrue(e.error().message().length() <= ChatErrorDecoder.MAX_MESSAGE_CHARS + 1);
    }

    @Provide
    Arbitrary<Integer> statuses() {
        return Arbitraries.integers().between(400, 599);
    }

    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> fragments = Arbitraries.of(
                "{",
                "}",
                "[",
                "]",
                "\"error\"",
                "\"message\"",
                "\"detail\"",
                "\"object\":\"error\"",
                ":",
                ",",
                "null",
                "42",
                "\"x\"",
                "{\"msg\":\"m\",\"loc\":[\"a\",1]}",
                "<html>",
                "<title>t</title>",
                "\u0000",
                "\\",
                "\"");
        return fragments.list().ofMaxSize(30).map(l -> String.join("", l));
    }

    @Property(tries = 1)
    void shouldNotThrowOnAnEmptyOrNullBody() {
        check(500, codec.decodeError(500, null));
        check(503, codec.decodeError(503, new byte[0]));
    }
}
