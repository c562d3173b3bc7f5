package dev.crossbar.cluster.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crossbar.cluster.seal.UnreadableValue.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

    private final ClusterKey current = ClusterKey.random();
    private final ClusterKeyring keys = ClusterKeyring.of(current, List.of());
    private final byte[] body = "the body of a record".getBytes(StandardCharsets.UTF_8);

    private static Envelope.Opened open(ClusterKeyring keys, String id, Object value, boolean sealed) {
        return Envelope.open(keys, 2, id, value, sealed);
    }

    private static byte[] bodyOf(Envelope.Opened o) {
        return Arrays.copyOfRange(o.bytes(), o.offset(), o.offset() + o.length());
    }

    @Test
    void shouldOpenWhatItSignedAndSealed() {
        for (boolean sealed : new boolean[] {false, true}) {
            byte[] value = sealed ? Envelope.seal(keys, 2, 3, "key-1", body) : Envelope.sign(keys, 2, 3, "key-1", body);
            Envelope.Opened opened = open(keys, "key-1", value, sealed);
            assertArrayEquals(body, bodyOf(opened));
            assertEquals(3, opened.version());
            assertFalse(opened.previousKey());
        }
    }

    @Test
    void shouldHideTheBodyOfASealedValueAndNeverSealTwiceAlike() {
        byte[] secret = "sk-live-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        byte[] one = Envelope.seal(keys, 2, 1, "key-1", secret);
        byte[] two = Envelope.seal(keys, 2, 1, "key-1", secret);
        assertFalse(new String(one, StandardCharsets.ISO_8859_1).contains("sk-live"));
        assertFalse(Arrays.equals(one, two), "a fresh nonce per record");
    }

    @Test
    void shouldRefuseAnyChangedByte() {
        for (boolean sealed : new boolean[] {false, true}) {
            byte[] value = sealed ? Envelope.seal(keys, 2, 1, "k", body) : Envelope.sign(keys, 2, 1, "k", body);
            for (int i = 2; i < value.length; i++) {
                byte[] changed = value.clone();
                changed[i] ^= 0x01;
                UnreadableValue e = assertThrows(UnreadableValue.class, () -> open(keys, "k", changed, sealed));
                assertEquals(Reason.UNAUTHENTIC, e.reason(), "byte " + i);
            }
        }
    }

    @Test
    void shouldRefuseAValueMovedToAnotherId() {
        byte[] value = Envelope.sign(keys, 2, 1, "client-a", body);
        assertEquals(
                Reason.UNAUTHENTIC,
                assertThrows(UnreadableValue.class, () -> open(keys, "client-b", value, false))
                        .reason());
        byte[] sealed = Envelope.seal(keys, 2, 1, "key-1", body);
        assertEquals(
                Reason.UNAUTHENTIC,
                assertThrows(UnreadableValue.class, () -> open(keys, "key-2", sealed, true))
                        .reason());
    }

    @Test
    void shouldRefuseAValueOfAnotherKeyOrKindOrType() {
        ClusterKeyring other = ClusterKeyring.of(ClusterKey.random(), List.of());
        byte[] forged = Envelope.sign(other, 2, 1, "k", body);
        assertEquals(
                Reason.UNAUTHENTIC,
                assertThrows(UnreadableValue.class, () -> open(keys, "k", forged, false))
                        .reason());
        byte[] otherKind = Envelope.sign(keys, 3, 1, "k", body);
        assertEquals(
                Reason.FOREIGN,
                assertThrows(UnreadableValue.class, () -> open(keys, "k", otherKind, false))
                        .reason());
        for (Object foreign : new Object[] {"a string", 42L, new byte[3], body}) {
            assertEquals(
                    Reason.FOREIGN,
                    assertThrows(UnreadableValue.class, () -> open(keys, "k", foreign, false))
                            .reason());
        }
    }

    @Test
    void shouldAcceptAPreviousKeyAndSaySo() {
        ClusterKey next = ClusterKey.random();
        byte[] old = Envelope.seal(keys, 2, 1, "k", body);
        ClusterKeyring rotated = ClusterKeyring.of(next, List.of(current));
        Envelope.Opened opened = open(rotated, "k", old, true);
        assertTrue(opened.previousKey());
        assertArrayEquals(body, bodyOf(opened));
        assertFalse(open(rotated, "k", Envelope.seal(rotated, 2, 1, "k", body), true)
                .previousKey());
        ClusterKeyring after = ClusterKeyring.of(next, List.of());
        assertEquals(
                Reason.UNAUTHENTIC,
                assertThrows(UnreadableValue.class, () -> open(after, "k", old, true))
                        .reason());
    }
}
