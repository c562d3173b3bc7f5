package dev.crossbar.cluster.seal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ClusterKeyTest {

    private static final byte[] BYTES = new byte[32];

    static {
        for (int i = 0; i < BYTES.length; i++) {
            BYTES[i] = (byte) (i * 7 + 3);
        }
    }

    @Test
    void shouldReadBase64UrlSafeBase64AndHexAsTheSameKey() {
        ClusterKey base64 = ClusterKey.parse(Base64.getEncoder().encodeToString(BYTES));
        ClusterKey url =
                ClusterKey.parse(Base64.getUrlEncoder().withoutPadding().encodeToString(BYTES));
        ClusterKey hex = ClusterKey.parse(" " + HexFormat.of().formatHex(BYTES) + "\n");
        assertEquals(base64.id(), url.id());
        assertEquals(base64.id(), hex.id());
        assertNotEquals(base64.id(), ClusterKey.random().id());
    }

    @Test
    void shouldRefuseAnythingButThirtyTwoBytesWithoutRepeatingTheText() {
        for (String bad : new String[] {"", "short", "c2VjcmV0LXBhc3N3b3Jk", "replace-me-with-a-real-key-please!!"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterKey.parse(bad));
            assertTrue(e.getMessage().startsWith("must be 32 random bytes"), e.getMessage());
            if (!bad.isEmpty()) {
                assertFalse(e.getMessage().contains(bad), "the refusal repeats the secret: " + e.getMessage());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ClusterKey.parse(null));
    }

    @Test
    void shouldNeverShowTheKeyInText() {
        String text = Base64.getEncoder().encodeToString(BYTES);
        ClusterKey key = ClusterKey.parse(text);
        assertFalse(key.toString().contains(text));
        assertEquals("ClusterKey[" + key.idText() + "]", key.toString());
        assertEquals(32, Base64.getDecoder().decode(ClusterKey.generateText()).length);
    }
}
