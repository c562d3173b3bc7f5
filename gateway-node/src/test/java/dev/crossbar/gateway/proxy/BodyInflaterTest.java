package dev.crossbar.gateway.proxy;

import static dev.crossbar.gateway.testing.CodedBodies.deflate;
import static dev.crossbar.gateway.testing.CodedBodies.gzip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.codecs.model.CodecException;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BodyInflaterTest {

    private static final long LIMIT = 65_536;
    private static final byte[] JSON =
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8);

    /** Inflates {@code body} sent in pieces of {@code piece} bytes, as a stream's chunks. */
    private static String inflate(String coding, byte[] body, int piece) {
        BodyInflater inflater = BodyInflater.of(coding, LIMIT);
        assertNotNull(inflater, coding);
        Buffer out = Buffer.buffer();
        for (int at = 0; at < body.length; at += piece) {
            out.appendBuffer(
                    inflater.inflate(Buffer.buffer(Arrays.copyOfRange(body, at, Math.min(body.length, at + piece)))));
        }
        out.appendBuffer(inflater.finish());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static CodecException refused(String coding, byte[] body) {
        return assertThrows(CodecException.class, () -> inflate(coding, body, 16));
    }

    @Test
    void gzipAndDeflateBodiesInflateWholeInAnyPieces() {
        for (int piece : new int[] {1, 7, 1 << 20}) {
            assertEquals(new String(JSON, StandardCharsets.UTF_8), inflate("gzip", gzip(JSON), piece));
            assertEquals(new String(JSON, StandardCharsets.UTF_8), inflate("X-GZIP", gzip(JSON), piece));
            assertEquals(new String(JSON, StandardCharsets.UTF_8), inflate("deflate", deflate(JSON), piece));
        }
        assertEquals("", inflate("gzip", new byte[0], 1), "no bytes are an empty body");
    }

    @Test
    void aBodyThatIsNotOneWholeStreamIsRefusedNamingTheHeader() {
        byte[] gzip = gzip(JSON);
        byte[] damaged = gzip.clone();
        for (int i = 10; i < damaged.length - 8; i++) {
            damaged[i] ^= 0x5a;
        }
        byte[] twoMembers = Arrays.copyOf(gzip, gzip.length * 2);
        System.arraycopy(gzip, 0, twoMembers, gzip.length, gzip.length);
        for (byte[] body :
                new byte[][] {damaged, JSON, Arrays.copyOf(gzip, gzip.length - 8), Arrays.copyOf(gzip, 20), twoMembers
                }) {
            CodecException e = refused("gzip", body);
            assertEquals(400, e.error().status());
            assertTrue(
                    e.error().message().contains("Content-Encoding"), e.error().message());
        }
        assertEquals(400, refused("deflate", JSON).error().status());
        byte[] deflated = deflate(JSON);
        assertEquals(
                400,
                refused("deflate", Arrays.copyOf(deflated, deflated.length - 4))
                        .error()
                        .status());
    }

    /** No one read inflates past the limit; a body's whole size is its reader's to count. */
    @Test
    void aReadInflatingPastTheLimitIsTooLarge() {
        byte[] bomb = gzip(new byte[(int) LIMIT * 4]);
        CodecException e = assertThrows(CodecException.class, () -> inflate("gzip", bomb, bomb.length));
        assertEquals(413, e.error().status());
        assertEquals(LIMIT * 4, inflate("gzip", bomb, 16).length(), "in small reads it inflates, to be counted");
    }

    @Test
    void otherCodingsAreNotInflatedHere() {
        assertNull(BodyInflater.of("br", LIMIT));
        assertNull(BodyInflater.of("zstd", LIMIT));
    }
}
